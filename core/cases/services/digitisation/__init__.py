"""Old-case digitisation: ``actions`` (upload a batch, the quality check, targets, recorded reads),
``run`` (the body of ``core.cases.tasks.digitisation_batch_run_task``), ``manifest`` (the CSV
manifest and the upload's temporary copy) and ``archive`` (the zip of scans, read as hostile)."""
