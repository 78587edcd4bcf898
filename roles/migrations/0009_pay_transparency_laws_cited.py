"""The state salary-range posting laws the builder starts with: only those whose statute
or official page is cited here. Editors add, correct and retire them in the admin."""

import datetime

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Editors keep the table current; recruiters and employers only read what the builder says.
LAW_PERMISSIONS = [f"{action}_paytransparencylaw" for action in ("view", "add", "change", "delete")]

LAWS = [
    {
        "jurisdiction": "California",
        "postal_code": "CA",
        "fips_code": "06",
        "law": "California Labor Code § 432.3(c)(3)",
        "disclosure": (
            "Employers with 15 or more employees must include the pay scale (the salary or "
            "hourly wage range the employer reasonably expects to pay) in job postings."
        ),
        "effective": datetime.date(2023, 1, 1),
        "citation_url": "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=LAB&sectionNum=432.3",
    },
    {
        "jurisdiction": "Colorado",
        "postal_code": "CO",
        "fips_code": "08",
        "law": "Colorado Equal Pay for Equal Work Act, C.R.S. § 8-5-201",
        "disclosure": (
            "Employers with any employee in Colorado must include the hourly or salary "
            "compensation, or a range of it, and a general description of all benefits and "
            "other compensation."
        ),
        "effective": datetime.date(2021, 1, 1),
        "citation_url": "https://cdle.colorado.gov/dlss/labor-laws-by-topic/equal-pay-for-equal-work-act",
    },
    {
        "jurisdiction": "Massachusetts",
        "postal_code": "MA",
        "fips_code": "25",
        "law": "M.G.L. c. 149, § 105F (Chapter 141 of the Acts of 2024)",
        "disclosure": (
            "Employers with 25 or more employees in Massachusetts must disclose the pay "
            "range in job postings."
        ),
        "effective": datetime.date(2025, 10, 29),
        "citation_url": "https://malegislature.gov/Laws/SessionLaws/Acts/2024/Chapter141",
    },
    {
        "jurisdiction": "Minnesota",
        "postal_code": "MN",
        "fips_code": "27",
        "law": "Minn. Stat. § 181.173",
        "disclosure": (
            "Employers with 30 or more employees in Minnesota must disclose the starting "
            "salary range (or fixed pay) and a general description of benefits and other "
            "compensation."
        ),
        "effective": datetime.date(2025, 1, 1),
        "citation_url": "https://www.revisor.mn.gov/statutes/cite/181.173",
    },
    {
        "jurisdiction": "New York",
        "postal_code": "NY",
        "fips_code": "36",
        "law": "New York Labor Law § 194-b",
        "disclosure": (
            "Employers with four or more employees must state the compensation or range of "
            "compensation they in good faith believe they will pay, and the job description "
            "if one exists."
        ),
        "effective": datetime.date(2023, 9, 17),
        "citation_url": "https://dol.ny.gov/pay-transparency",
    },
    {
        "jurisdiction": "Vermont",
        "postal_code": "VT",
        "fips_code": "50",
        "law": "21 V.S.A. § 495o",
        "disclosure": (
            "Employers with five or more employees must include the compensation or range "
            "of compensation in advertisements of job openings."
        ),
        "effective": datetime.date(2025, 7, 1),
        "citation_url": "https://legislature.vermont.gov/statutes/section/21/005/00495o",
    },
    {
        "jurisdiction": "Washington",
        "postal_code": "WA",
        "fips_code": "53",
        "law": "RCW 49.58.110",
        "disclosure": (
            "Employers with 15 or more employees must disclose the wage scale or salary "
            "range, and a general description of all benefits and other compensation."
        ),
        "effective": datetime.date(2023, 1, 1),
        "citation_url": "https://app.leg.wa.gov/RCW/default.aspx?cite=49.58.110",
    },
]


def add_laws(apps, schema_editor):
    app_config = apps.get_app_config("roles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="roles", codename__in=LAW_PERMISSIONS)
    )
    PayTransparencyLaw = apps.get_model("roles", "PayTransparencyLaw")
    for law in LAWS:
        PayTransparencyLaw.objects.get_or_create(jurisdiction=law["jurisdiction"], defaults=law)


def remove_laws(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="roles", codename__in=LAW_PERMISSIONS
    ).delete()
    PayTransparencyLaw = apps.get_model("roles", "PayTransparencyLaw")
    PayTransparencyLaw.objects.filter(
        jurisdiction__in=[law["jurisdiction"] for law in LAWS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0008_builder_drafts_and_pay_transparency_laws"),
        ("roles", "0002_editors_group"),
    ]

    operations = [migrations.RunPython(add_laws, remove_laws)]
