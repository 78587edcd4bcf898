"""The public site with something in every block: the seeded library and the
shipped BLS files, a recruiter who shows their profile (with a photo), a service
page, an article on a role, a testimonial and a placement figure. The HTML checker
and the browser sweep walk these pages."""

import datetime
import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from content.models import Article, PlacementFigure, ServicePage, Status, Testimonial
from leads.models import RecruiterProfile
from leads.services.profiles import photo_from_upload
from leads.tests.factories import recruiters_group
from roles.builder.document import JobDescription
from roles.builder.forms import PostingForm
from roles.models import Area, PostingDraft, Role, RoleFamily, Skill
from roles.seeding import seed_library
from roles.wages.presentation import OccupationWages

WAGE_FILES = sorted(Path(__file__).resolve().parents[2].joinpath("fixtures", "oews").glob("*.csv"))

# A job description saved in the builder, under a link fixed for the tests.
SAVED_DRAFT = "saved-for-the-tests-01"

PUBLIC_PAGES = [
    "/",
    "/roles/",
    "/roles/?seniority=senior&skill=pytorch",
    "/roles/?q=pytorch+senior",
    "/roles/?q=pytorh",
    "/roles/?q=nothing+matches+this+xyzzy",
    "/roles/machine-learning-engineer/",
    "/roles/machine-learning-engineer/?area=42660",
    "/roles/nlp-engineer/",
    "/roles/computer-vision-engineer/",
    "/roles/deep-learning-engineer/",
    "/roles/mlops-engineer/",
    "/roles/edge-ai-engineer/",
    "/roles/machine-learning-engineer/customise/",
    "/roles/machine-learning-engineer/customise/?area=42660&seniority=senior",
    f"/roles/machine-learning-engineer/customise/{SAVED_DRAFT}/",
    "/skills/",
    "/skills/pytorch/",
    "/salaries/",
    "/salaries/?role=mlops-engineer&area=42660&area=41860&area=41940",
    "/services/",
    "/services/contract-staffing/",
    "/insights/",
    "/insights/hiring-an-mlops-engineer/",
    "/about/",
    "/contact/",
    "/contact/?role=nlp-engineer&seniority=senior&area=42660&recruiter=rita-moreno",
    "/contact/thanks/",
    "/privacy/",
]


def portrait() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (600, 600), (90, 80, 160)).save(out, "JPEG")
    return SimpleUploadedFile("rita.jpg", out.getvalue(), content_type="image/jpeg")


def populate_public_site() -> None:
    seed_library()
    call_command("import_oews", *WAGE_FILES, stdout=io.StringIO())
    rita = get_user_model().objects.create_user(
        "rita", email="rita@agency.example", is_staff=True, first_name="Rita"
    )
    rita.groups.add(recruiters_group())
    profile = RecruiterProfile.objects.create(
        user=rita,
        is_public=True,
        public_name="Rita Moreno",
        slug="rita-moreno",
        headline="Senior recruiter, MLOps and NLP engineers",
        bio="I place machine-learning engineers with teams that ship.",
    )
    save_sample_draft()
    profile.photo, profile.photo_digest = photo_from_upload(portrait())
    profile.save()
    profile.families.set(RoleFamily.objects.all())
    profile.markets.set(Area.objects.filter(code__in=["42660", "41860"]))
    ServicePage.objects.create(
        title="Contract staffing",
        slug="contract-staffing",
        summary="Engineers for a project, for as long as it takes.",
        body="How it works.\n\n# Who it is for\n\nTeams with a deadline.",
        status=Status.PUBLISHED,
    )
    article = Article.objects.create(
        title="Hiring an MLOps engineer",
        slug="hiring-an-mlops-engineer",
        summary="What to look for.",
        body="First paragraph with [a link](/roles/mlops-engineer/).\n\n# A section\n\n- a point",
        status=Status.PUBLISHED,
    )
    article.roles.set(Role.objects.published().filter(slug="mlops-engineer"))
    article.skills.set(Skill.objects.filter(slug__in=["docker", "kubernetes"]))
    Testimonial.objects.create(
        quote="They understood what our team needed.",
        person_name="Dana Lee",
        person_title="CTO",
        company="Acme Robotics",
        permission="test data",
        is_published=True,
    )
    PlacementFigure.objects.create(
        figure="42",
        label="engineers placed",
        source="test data",
        as_of=datetime.date(2026, 6, 30),
        is_published=True,
    )


def save_sample_draft() -> PostingDraft:
    """A senior posting in Seattle with a company, as an employer would save it."""
    role = Role.objects.published().get(slug="machine-learning-engineer")
    wages = OccupationWages.load(role.soc_code)
    answers = PostingForm.initial_for(role, wages, area="42660", seniority="senior") | {
        "company": "Acme Robotics",
        "about_company": "We build robots that sort parcels.",
        "benefits": "Health insurance\n401(k) with a 4% match",
    }
    posting = JobDescription.from_answers(role, answers, wages)
    return PostingDraft.objects.create(
        token=SAVED_DRAFT, role=role, answers=answers, text=posting.as_text()
    )
