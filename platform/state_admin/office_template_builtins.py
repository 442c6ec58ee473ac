"""The office templates the platform ships: a district police set-up of Bihar, as data.

Each template is the ``OfficeTemplate.offices`` structure (see the model). District-level offices
go live in phase 1 with the SDPO offices, circle offices in phase 2, thanas in phase 3. Codes
match the ones the Vaishali demo uses, so applying "Vaishali 2025" to it adds only what it lacks.
``office_template_builtin_ensure()`` (state_admin.services.office_templates) keeps the table in
step with this module after every migrate.
"""

from __future__ import annotations


def _post(code: str, title: str, title_hi: str, kind: str) -> dict:
    return {"code": code, "title": title, "title_hi": title_hi, "kind": kind}


def _office(code: str, name: str, name_hi: str, kind: str, parent: str, phase: int, posts: list) -> dict:
    return {
        "code": code,
        "name": name,
        "name_hi": name_hi,
        "kind": kind,
        "parent": parent,
        "phase": phase,
        "posts": posts,
    }


def district_offices(*, police_line: str = "", police_line_hi: str = "") -> list[dict]:
    """SP office, police line, DSP HQ and DCRB: the same in every district."""
    line_code = f"police-line-{police_line.lower()}" if police_line else "police-line"
    line_name = f"Police Line (Police Centre {police_line})" if police_line else "Police Line {district}"
    line_name_hi = f"पुलिस लाइन (पुलिस केंद्र {police_line_hi})" if police_line else "पुलिस लाइन {district_hi}"
    return [
        _office(
            "sp-office",
            "SP Office {district}",
            "एसपी कार्यालय {district_hi}",
            "sp_office",
            "",
            1,
            [
                _post("sp", "Superintendent of Police, {district}", "पुलिस अधीक्षक, {district_hi}", "sp"),
                _post("addl-sp", "Additional SP, {district}", "अपर पुलिस अधीक्षक, {district_hi}", "addl_sp"),
                _post("dsp-hq", "DSP Headquarters", "मुख्यालय डीएसपी", "dsp"),
                _post("head-clerk", "Head Clerk, SP Office", "प्रधान लिपिक, एसपी कार्यालय", "head_clerk"),
                _post("sp-office-clerk", "Clerk, SP Office", "लिपिक, एसपी कार्यालय", "clerk"),
                _post(
                    "sp-office-operator",
                    "Computer Operator, SP Office",
                    "कंप्यूटर ऑपरेटर, एसपी कार्यालय",
                    "operator",
                ),
                _post("pio", "Public Information Officer", "लोक सूचना पदाधिकारी", "pio"),
                _post("apio", "Assistant Public Information Officer", "सहायक लोक सूचना पदाधिकारी", "pio"),
            ],
        ),
        _office(
            line_code,
            line_name,
            line_name_hi,
            "police_line",
            "sp-office",
            1,
            [
                _post("sergeant-major", "Sergeant Major", "सार्जेंट मेजर", "inspector"),
                _post("police-line-clerk", "Clerk, Police Line", "लिपिक, पुलिस लाइन", "clerk"),
            ],
        ),
        _office(
            "dsp-hq-office",
            "DSP Headquarters Office {district}",
            "मुख्यालय डीएसपी कार्यालय {district_hi}",
            "dsp_hq",
            "sp-office",
            1,
            [
                _post("dsp-hq-reader", "Reader, DSP Headquarters", "रीडर, मुख्यालय डीएसपी", "clerk"),
                _post(
                    "dsp-hq-operator", "Computer Operator, DSP HQ", "कंप्यूटर ऑपरेटर, मुख्यालय डीएसपी", "operator"
                ),
            ],
        ),
        _office(
            "dcrb",
            "District Crime Records Bureau {district}",
            "जिला अपराध अभिलेख ब्यूरो {district_hi}",
            "other",
            "sp-office",
            1,
            [
                _post(
                    "dcrb-inspector", "Inspector, DCRB", "पुलिस निरीक्षक, जिला अपराध अभिलेख ब्यूरो", "inspector"
                ),
                _post(
                    "dcrb-operator",
                    "Computer Operator, DCRB",
                    "कंप्यूटर ऑपरेटर, जिला अपराध अभिलेख ब्यूरो",
                    "operator",
                ),
            ],
        ),
    ]


def sdpo_office(slug: str, name: str, name_hi: str) -> dict:
    return _office(
        f"sdpo-{slug}",
        f"SDPO Office {name}",
        f"एसडीपीओ कार्यालय {name_hi}",
        "sdpo",
        "sp-office",
        1,
        [
            _post(f"sdpo-{slug}", f"SDPO {name}", f"एसडीपीओ {name_hi}", "sdpo"),
            _post(
                f"sdpo-{slug}-clerk",
                f"Clerk, SDPO Office {name}",
                f"लिपिक, एसडीपीओ कार्यालय {name_hi}",
                "clerk",
            ),
        ],
    )


def circle_office(slug: str, name: str, name_hi: str, *, sdpo: str) -> dict:
    return _office(
        f"circle-{slug}",
        f"Circle Office {name}",
        f"अंचल कार्यालय {name_hi}",
        "circle",
        f"sdpo-{sdpo}",
        2,
        [
            _post(
                f"circle-inspector-{slug}",
                f"Circle Inspector {name}",
                f"अंचल पुलिस निरीक्षक {name_hi}",
                "inspector",
            )
        ],
    )


def thana(slug: str, name: str, name_hi: str, *, circle: str) -> dict:
    return _office(
        f"thana-{slug}",
        f"{name} Thana",
        f"{name_hi} थाना",
        "thana",
        f"circle-{circle}",
        3,
        [
            _post(f"sho-{slug}", f"SHO {name}", f"थानाध्यक्ष {name_hi}", "sho"),
            _post(
                f"thana-{slug}-operator",
                f"Computer Operator, {name} Thana",
                f"कंप्यूटर ऑपरेटर, {name_hi} थाना",
                "operator",
            ),
        ],
    )


STANDARD = {
    "slug": "bihar-district-police-standard",
    "name": "Bihar district police — standard",
    "name_hi": "बिहार जिला पुलिस — मानक",
    "description": (
        "District-level offices (SP office, police line, DSP headquarters, DCRB) with their posts, "
        "and one SDPO office, circle office and thana as examples: copy the template and add the "
        "district's own sub-divisions, circles and thanas."
    ),
    "offices": [
        *district_offices(),
        sdpo_office("sadar", "Sadar", "सदर"),
        circle_office("sadar", "Sadar", "सदर", sdpo="sadar"),
        thana("town", "Town", "नगर", circle="sadar"),
    ],
}

# Vaishali as it was set up for the first phase of the Tirhut rollout (March 2025): the SP office,
# police centre Hajipur and the SDPO offices of Mahua, Mahnar and Lalganj went live first.
VAISHALI_2025 = {
    "slug": "vaishali-2025",
    "name": "Vaishali 2025",
    "name_hi": "वैशाली 2025",
    "description": (
        "The set-up of Vaishali district for its e-Office rollout in 2025: SP office, police centre "
        "Hajipur, DSP headquarters, four sub-divisions, and circles and thanas of the district."
    ),
    "offices": [
        *district_offices(police_line="Hajipur", police_line_hi="हाजीपुर"),
        sdpo_office("hajipur-sadar", "Hajipur Sadar", "हाजीपुर सदर"),
        sdpo_office("mahua", "Mahua", "महुआ"),
        sdpo_office("mahnar", "Mahnar", "महनार"),
        sdpo_office("lalganj", "Lalganj", "लालगंज"),
        circle_office("hajipur", "Hajipur", "हाजीपुर", sdpo="hajipur-sadar"),
        circle_office("bidupur", "Bidupur", "बिदुपुर", sdpo="hajipur-sadar"),
        circle_office("mahua", "Mahua", "महुआ", sdpo="mahua"),
        circle_office("patepur", "Patepur", "पातेपुर", sdpo="mahua"),
        circle_office("mahnar", "Mahnar", "महनार", sdpo="mahnar"),
        circle_office("lalganj", "Lalganj", "लालगंज", sdpo="lalganj"),
        circle_office("goraul", "Goraul", "गोरौल", sdpo="lalganj"),
        thana("hajipur-town", "Hajipur Town", "हाजीपुर नगर", circle="hajipur"),
        thana("bidupur", "Bidupur", "बिदुपुर", circle="bidupur"),
        thana("raghopur", "Raghopur", "राघोपुर", circle="bidupur"),
        thana("mahua", "Mahua", "महुआ", circle="mahua"),
        thana("jandaha", "Jandaha", "जंदाहा", circle="mahua"),
        thana("patepur", "Patepur", "पातेपुर", circle="patepur"),
        thana("mahnar", "Mahnar", "महनार", circle="mahnar"),
        thana("sahdei-buzurg", "Sahdei Buzurg", "सहदेई बुजुर्ग", circle="mahnar"),
        thana("lalganj", "Lalganj", "लालगंज", circle="lalganj"),
        thana("bhagwanpur", "Bhagwanpur", "भगवानपुर", circle="goraul"),
        thana("goraul", "Goraul", "गोरौल", circle="goraul"),
    ],
}

BUILTINS: tuple[dict, ...] = (STANDARD, VAISHALI_2025)
BUILTIN_SLUGS: frozenset[str] = frozenset(template["slug"] for template in BUILTINS)
