"""What happens to leads, by job: intake (the contact form), pipeline (recruiters'
changes), privacy (erasure and export of a person's data), reports (dashboard and
My work), exports (CSV and XLSX) and digest (the daily email to each recruiter).

The contact view, the admin screens, the management commands and the tests all
call these, so every path follows the same rules."""
