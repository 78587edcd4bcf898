"""BLS OEWS wages, one package for the whole domain: the models (`models`, re-exported by
`roles.models`, app label "roles"), the file importer (`importer`), what the salary panel
and the explorer show (`presentation`), the explorer page (`views`) and the admin (`admin`).

Not an app of its own: the models were born in `roles` and keep its tables."""
