"""Findings (知見): what the reports taught, with the evidence quoted from
them, and the model report built from them. Part of the reporting app (the
models' app label is `reporting`); import each module by name, e.g.
`from reporting.findings.models import Finding`."""
