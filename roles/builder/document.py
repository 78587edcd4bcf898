"""An employer's job description: made from the builder's answers, shown as the preview,
and taken away as text, Markdown, HTML, .docx, PDF or JobPosting JSON-LD. Every format
renders the same parts in the same order, so what the preview shows is what they get."""

import datetime
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import cached_property

from roles.builder import wording
from roles.builder.forms import EMPLOYMENT_TYPE_CHOICES, WORKPLACE_CHOICES, bullets
from roles.builder.job_posting import Posting, job_posting_json_ld
from roles.builder.pay import PayRange, pay_range
from roles.models import SENIORITY_YEARS, PayTransparencyLaw, Role, Section, Seniority
from roles.models.library import NO_REQUIREMENT
from roles.wages.models import Area, AreaType
from roles.wages.presentation import OccupationWages

# Sections whose bullets a candidate must meet; preferred qualifications are extras.
REQUIRED_SECTIONS = ("hard_skill", "education", "certification")
PDF_STYLESHEET = Path(__file__).with_name("posting_pdf.css")
MARKDOWN_INLINE = re.compile(r"[\\`*_\[\]<>|~]")
MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+=-])", re.MULTILINE)
MARKDOWN_NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)
PREFERRED = re.compile(r"\b(preferred|a plus|nice to have)\b", re.IGNORECASE)
YEARS = re.compile(r"\b(\d{1,2})\s*\+?\s*(?:-\s*\d{1,2}\s*)?years?\b", re.IGNORECASE)


@dataclass
class JobDescription:
    role: Role
    title: str
    seniority: str
    employment_type: str
    workplace: str
    area: Area | None
    company: str = ""
    company_url: str = ""
    about_company: str = ""
    overview: list[str] = field(default_factory=list)
    # (heading, bullets) in the template's order, empty sections left out.
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    benefits: list[str] = field(default_factory=list)
    pay_low: int | None = None
    pay_high: int | None = None
    # The data range for this market and seniority, whether or not the employer kept it.
    suggested_pay: PayRange | None = None
    required_items: int = 0

    @classmethod
    def from_answers(cls, role: Role, answers: dict, wages: OccupationWages) -> "JobDescription":
        wage = wages.market(answers.get("area")) or wages.national
        return cls(
            role=role,
            title=answers["title"],
            seniority=answers["seniority"],
            employment_type=answers["employment_type"],
            workplace=answers["workplace"],
            area=wage.area if wage else None,
            company=answers.get("company") or "",
            company_url=answers.get("company_url") or "",
            about_company=answers.get("about_company") or "",
            overview=paragraphs(answers.get("overview") or ""),
            sections=[
                (section.label, lines)
                for section in Section
                if (lines := bullets(answers.get(section.value) or ""))
            ],
            benefits=bullets(answers.get("benefits") or ""),
            pay_low=answers.get("pay_low"),
            pay_high=answers.get("pay_high"),
            suggested_pay=pay_range(wage, answers["seniority"]),
            required_items=sum(
                is_requirement(line)
                for name in REQUIRED_SECTIONS
                for line in bullets(answers.get(name) or "")
            ),
        )

    @property
    def seniority_label(self) -> str:
        return Seniority(self.seniority).label

    @property
    def employment_label(self) -> str:
        return dict(EMPLOYMENT_TYPE_CHOICES)[self.employment_type]

    @property
    def workplace_label(self) -> str:
        return dict(WORKPLACE_CHOICES)[self.workplace]

    @property
    def location(self) -> str:
        """Where, in words: "Seattle-Tacoma-Bellevue, WA (hybrid)". A remote job is open to
        the whole country, or to a state when a state was chosen (as its JSON-LD says); a
        metro chosen for a remote job prices it, and the pay's source says so."""
        place = self.area.display_title if self.area else "United States"
        if self.workplace == "remote":
            state = self.area is not None and self.area.type == AreaType.STATE
            return f"Remote ({place if state else 'United States'})"
        return f"{place} ({self.workplace_label.lower()})"

    @property
    def has_pay(self) -> bool:
        return self.pay_low is not None and self.pay_high is not None

    @property
    def pay_from_data(self) -> bool:
        """The range shown is the data's, unchanged."""
        return bool(
            self.has_pay
            and self.suggested_pay
            and (self.pay_low, self.pay_high) == (self.suggested_pay.low, self.suggested_pay.high)
        )

    @property
    def pay_text(self) -> str:
        if not self.has_pay:
            return ""
        return f"${self.pay_low:,} to ${self.pay_high:,} a year"

    # --- the same document in each format --------------------------------------
    def as_text(self) -> str:
        return tidy(render_to_string("roles/builder/posting.txt", {"posting": self}))

    def as_markdown(self) -> str:
        """CommonMark: what was typed is escaped, so "<Inc>" or a line starting "1." reads
        as typed; the lines under the title end in hard breaks."""
        out = [
            f"# {markdown_escape(self.title)}",
            "",
            "\\\n".join(map(markdown_escape, self.facts())),
        ]
        for heading, paragraphs_, lines in self.parts():
            out += ["", f"## {markdown_escape(heading)}", ""]
            out += [f"{markdown_escape(p)}\n" for p in paragraphs_]
            out += [f"- {markdown_escape(line)}" for line in lines]
        return tidy("\n".join(out))

    def as_html(self) -> str:
        """The posting's HTML fragment (escaped: nothing typed becomes markup)."""
        return tidy(render_to_string("roles/builder/_posting.html", {"posting": self}))

    def as_docx(self) -> bytes:
        from docx import Document  # imported when asked for: most requests never are

        document = Document()
        document.core_properties.title = self.title
        document.add_heading(self.title, level=0)
        for line in self.facts():
            document.add_paragraph(line)
        for heading, paragraphs_, lines in self.parts():
            document.add_heading(heading, level=1)
            for paragraph in paragraphs_:
                document.add_paragraph(paragraph)
            for line in lines:
                document.add_paragraph(line, style="List Bullet")
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    def as_pdf(self) -> bytes:
        import weasyprint  # imported when asked for: loading it costs about a second

        html = render_to_string("roles/builder/posting_pdf.html", {"posting": self})
        return weasyprint.HTML(string=html).write_pdf(
            stylesheets=[weasyprint.CSS(filename=PDF_STYLESHEET)]
        )

    def facts(self) -> list[str]:
        """The lines under the title, in every format."""
        facts = [
            f"{self.seniority_label} · {self.employment_label} · {self.location}",
        ]
        if self.company:
            facts.insert(0, self.company)
        if self.has_pay:
            facts.append(f"Pay: {self.pay_text}")
        return facts

    def parts(self) -> list[tuple[str, list[str], list[str]]]:
        """(heading, paragraphs, bullets) of the body, in order, empty parts left out."""
        about_company = paragraphs(self.about_company)
        parts = [
            (f"About {self.company}" if self.company else "About us", about_company, []),
            ("About the role", self.overview, []),
            *((heading, [], lines) for heading, lines in self.sections),
            ("Benefits", [], self.benefits),
        ]
        return [part for part in parts if part[1] or part[2]]

    # --- beside the preview ----------------------------------------------------------
    def plain_words(self) -> str:
        """The posting as sentences for the wording checks: a bullet is a sentence of its
        own (readability counts words per sentence; bullets carry no full stops)."""
        lines = [self.title, *(p for _, ps, ls in self.parts() for p in [*ps, *ls])]
        return "\n".join(line if line[-1] in ".!?:" else f"{line}." for line in lines)

    @cached_property
    def advice(self) -> list[wording.Advice]:
        text = self.plain_words()
        asked = [int(years) for years in YEARS.findall(text)]
        return wording.wording_advice(
            text,
            required_items=self.required_items,
            years_asked=max(asked) if asked else None,
            years_range=SENIORITY_YEARS[Seniority(self.seniority)],
        )

    @cached_property
    def pay_laws(self) -> list[PayTransparencyLaw]:
        return list(PayTransparencyLaw.objects.covering(self.area))

    def json_ld_script(self) -> str:
        return json_ld_text(self.json_ld())

    def json_ld(self, *, today: datetime.date | None = None) -> dict:
        return job_posting_json_ld(
            Posting(
                title=self.title,
                description_html=self.as_html(),
                company=self.company,
                company_url=self.company_url,
                employment_type=self.employment_type,
                area=self.area or Area(code=Area.NATIONAL_CODE, title="U.S.", type=1),
                remote=self.workplace == "remote",
                date_posted=today or timezone.localdate(),
                pay_low=self.pay_low,
                pay_high=self.pay_high,
            )
        )


def markdown_escape(text: str) -> str:
    """Text as Markdown shows it literally: inline markup characters escaped, and a line
    that would start a heading, list or quote escaped at its start."""
    text = MARKDOWN_INLINE.sub(r"\\\g<0>", text)
    text = MARKDOWN_LINE_START.sub(r"\g<1>\\\g<2>", text)
    return MARKDOWN_NUMBERED.sub(r"\g<1>\\\g<2>", text)


def is_requirement(line: str) -> bool:
    """A bullet a candidate must meet: not "Not required", not one marked preferred."""
    return not NO_REQUIREMENT.match(line) and not PREFERRED.search(line)


def json_ld_text(data: dict) -> str:
    """JSON-LD as a script element to paste into a page: "<" escaped, so no text the
    employer typed can close the element early."""
    body = json.dumps(data, indent=2, ensure_ascii=False).replace("<", "\\u003c")
    return f'<script type="application/ld+json">\n{body}\n</script>'


def paragraphs(text: str) -> list[str]:
    """Paragraphs separated by a blank line; single line breaks joined."""
    return [
        " ".join(line.strip() for line in block.splitlines() if line.strip())
        for block in re.split(r"\r?\n\s*\r?\n", text)
        if block.strip()
    ]


def tidy(text: str) -> str:
    """Template output without the blank lines its tags leave: one blank line at most."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
