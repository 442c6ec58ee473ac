"""The Kubernetes manifests are valid against the Kubernetes API's schemas (kubernetes-validate,
offline, strict: an unknown or misspelt field fails) and say what the deployment needs: HTTP
probes, one body limit, the sandbox header and X-Accel prefix, HPA, PDB, NetworkPolicy, a backup
CronJob and a cert-manager wildcard certificate (issue 19, point 4)."""

import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
KUBERNETES_VERSION = "1.31"
CERT_MANAGER_KINDS = {"Certificate", "ClusterIssuer"}


def _documents():
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                yield path.name, doc


DOCUMENTS = list(_documents())


def _kind(kind: str, name: str | None = None) -> dict:
    found = [d for _, d in DOCUMENTS if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    assert len(found) == 1, f"{kind} {name}: {len(found)} found"
    return found[0]


def _container(workload: dict, name: str) -> dict:
    spec = workload["spec"]
    pod = (
        spec["jobTemplate"]["spec"]["template"]["spec"]
        if workload["kind"] == "CronJob"
        else spec["template"]["spec"]
    )
    return next(c for c in pod["containers"] if c["name"] == name)


@pytest.mark.parametrize(
    ("file", "doc"), DOCUMENTS, ids=[f"{f}:{d['kind']}/{d['metadata']['name']}" for f, d in DOCUMENTS]
)
def test_every_manifest_is_valid(file, doc):
    if doc["kind"] in CERT_MANAGER_KINDS:
        # A CRD: kubernetes-validate has no schema for it; the fields cert-manager requires.
        assert doc["apiVersion"] == "cert-manager.io/v1"
        if doc["kind"] == "Certificate":
            assert doc["spec"]["secretName"] and doc["spec"]["dnsNames"] and doc["spec"]["issuerRef"]["name"]
        else:
            assert doc["spec"]["acme"]["server"].startswith("https://")
            assert doc["spec"]["acme"]["privateKeySecretRef"]["name"] and doc["spec"]["acme"]["solvers"]
        return
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_a_misspelt_field_would_fail():
    bad = {**_kind("PodDisruptionBudget"), "spec": {"minAvailabel": 1}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, KUBERNETES_VERSION, strict=True)


def test_kustomization_lists_every_manifest():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == files


def test_web_probes_are_http_on_the_pod_ip():
    web = _container(_kind("Deployment", "karyalay-web"), "gunicorn")
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz?without=consumer"
    assert "host" not in web["readinessProbe"]["httpGet"]  # the pod IP: config.health answers it


def test_the_worker_has_a_liveness_check_of_its_own():
    worker = _container(_kind("Deployment", "karyalay-worker"), "huey")
    assert worker["livenessProbe"]["exec"]["command"][:3] == ["python", "manage.py", "consumer_alive"]
    from django.core.management import get_commands

    assert "consumer_alive" in get_commands()


def _sidecar_conf() -> str:
    return _kind("ConfigMap", "karyalay-nginx")["data"]["default.conf"]


def test_one_body_limit_everywhere():
    sidecar = re.findall(r"client_max_body_size (\S+);", _sidecar_conf())
    compose = re.findall(
        r"client_max_body_size (\S+);", (ROOT / "deploy" / "nginx" / "karyalay.conf").read_text()
    )
    ingress = _kind("Ingress")["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"]
    assert set(sidecar) == set(compose) == {ingress}


def test_the_sidecar_serves_downloads_with_the_sandbox_header():
    from core.base.serving import SANDBOX_CSP

    config = _kind("ConfigMap", "karyalay-config")["data"]
    prefix = config["KARYALAY_X_ACCEL_PREFIX"]
    block = re.search(rf"location {re.escape(prefix)} \{{(.*?)\}}", _sidecar_conf(), re.S).group(1)
    assert "internal;" in block
    assert f'add_header Content-Security-Policy "{SANDBOX_CSP}" always;' in block
    compose = (ROOT / "deploy" / "nginx" / "karyalay.conf").read_text()
    assert f'add_header Content-Security-Policy "{SANDBOX_CSP}" always;' in compose


def test_metrics_and_readiness_are_not_served_through_the_public_hosts():
    for conf in (_sidecar_conf(), (ROOT / "deploy" / "nginx" / "karyalay.conf").read_text()):
        assert "location = /metrics { return 404; }" in conf
        assert "location = /readyz { return 404; }" in conf


def test_hpa_and_pdb_cover_the_web():
    hpa = _kind("HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == "karyalay-web" and hpa["spec"]["minReplicas"] >= 2
    pdb = _kind("PodDisruptionBudget")
    labels = _kind("Deployment", "karyalay-web")["spec"]["selector"]["matchLabels"]
    assert pdb["spec"]["selector"]["matchLabels"] == labels


def test_network_policy_lets_the_web_reach_only_the_database_redis_and_dns():
    policy = _kind("NetworkPolicy")
    assert (
        policy["spec"]["podSelector"]["matchLabels"]
        == _kind("Deployment", "karyalay-web")["spec"]["selector"]["matchLabels"]
    )
    assert set(policy["spec"]["policyTypes"]) == {"Ingress", "Egress"}
    ports = {(p["protocol"], p["port"]) for rule in policy["spec"]["egress"] for p in rule["ports"]}
    assert ports == {("TCP", 5432), ("TCP", 6379), ("UDP", 53), ("TCP", 53)}
    for rule in policy["spec"]["egress"]:
        assert rule.get("to"), "an egress rule without 'to' opens every address"


def test_backup_cronjob_runs_backup_create_all():
    job = _kind("CronJob", "karyalay-backup")
    assert job["spec"]["concurrencyPolicy"] == "Forbid"
    assert _container(job, "backup")["command"] == ["python", "manage.py", "backup_create", "--all"]
    from django.core.management import get_commands

    assert "backup_create" in get_commands()


def test_the_wildcard_certificate_is_what_the_ingress_uses():
    certificate = _kind("Certificate")
    ingress_tls = _kind("Ingress")["spec"]["tls"][0]
    assert certificate["spec"]["secretName"] == ingress_tls["secretName"]
    assert set(certificate["spec"]["dnsNames"]) == set(ingress_tls["hosts"])
    issuer = _kind("ClusterIssuer")
    assert certificate["spec"]["issuerRef"]["name"] == issuer["metadata"]["name"]
    assert "dns01" in issuer["spec"]["acme"]["solvers"][0]


def test_web_pods_count_metrics_across_processes():
    web = _kind("Deployment", "karyalay-web")
    mounts = {m["mountPath"] for m in _container(web, "gunicorn")["volumeMounts"]}
    assert "/dev/shm" in mounts
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "PROMETHEUS_MULTIPROC_DIR=/dev/shm/prometheus" in dockerfile
