"""Two more state salary-range posting laws, each cited by its state's labour department:
Illinois (the Department of Labor's announcement of the Equal Pay Act amendment) and
Maryland (the Department of Labor's Wage Range Transparency FAQ)."""

import datetime

from django.db import migrations

LAWS = [
    {
        "jurisdiction": "Illinois",
        "postal_code": "IL",
        "fips_code": "17",
        "law": "Illinois Equal Pay Act of 2003, 820 ILCS 112/10 (Public Act 103-0539)",
        "disclosure": (
            "Employers with 15 or more employees must include the pay scale and benefits: "
            "the wage or salary, or its range, and a general description of benefits and "
            "other compensation (a link to a public page that gives them will do)."
        ),
        "effective": datetime.date(2025, 1, 1),
        "citation_url": "https://labor.illinois.gov/news/press-release.30746.html",
    },
    {
        "jurisdiction": "Maryland",
        "postal_code": "MD",
        "fips_code": "24",
        "law": "Md. Code, Lab. & Empl. § 3-304.2 (Wage Range Transparency)",
        "disclosure": (
            "Every employer must include the wage range (minimum and maximum), a general "
            "description of benefits and any other compensation offered, for a job "
            "performed at least in part in Maryland."
        ),
        "effective": datetime.date(2024, 10, 1),
        "citation_url": "https://dllr.state.md.us/labor/wages/esswagerangefaq.shtml",
    },
]


def add_laws(apps, schema_editor):
    PayTransparencyLaw = apps.get_model("roles", "PayTransparencyLaw")
    for law in LAWS:
        PayTransparencyLaw.objects.get_or_create(jurisdiction=law["jurisdiction"], defaults=law)


def remove_laws(apps, schema_editor):
    PayTransparencyLaw = apps.get_model("roles", "PayTransparencyLaw")
    PayTransparencyLaw.objects.filter(
        jurisdiction__in=[law["jurisdiction"] for law in LAWS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("roles", "0009_pay_transparency_laws_cited")]

    operations = [migrations.RunPython(add_laws, remove_laws)]
