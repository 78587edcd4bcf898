import json
import re
from html import unescape

import pytest
from django.urls import reverse

from portal.templatetags.portal import with_article
from roles.models import Copy, Role, RoleFamily, RoleItem, Section, Skill
from roles.skills import skill_merge, skill_rename
from roles.tests.factories import RoleFactory
from roles.tests.seed import parse_seed

pytestmark = pytest.mark.django_db

LIST = reverse("roles:list")


def html_of(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def result_titles(response) -> list[str]:
    return [role.title for role in response.context["object_list"]]


class TestRoleList:
    def test_lists_the_six_templates_general_first(self, client, seeded):
        response = client.get(LIST)

        assert result_titles(response)[0] == "Machine Learning Engineer"
        assert len(result_titles(response)) == 6
        assert "6 role templates" in html_of(response)

    def test_skill_filter_in_the_url(self, client, seeded):
        response = client.get(LIST, {"skill": "tensorflow-lite"})

        assert result_titles(response) == ["Edge AI Engineer"]

    def test_facet_counts_sit_beside_their_options(self, client, seeded):
        html = html_of(client.get(LIST, {"skill": "pytorch"}))

        assert re.search(r'for="seniority-mid">Mid level <span class="facet-count">2<', html)
        assert re.search(r'for="seniority-senior">Senior <span class="facet-count">1<', html)
        assert re.search(r'for="skill-docker">Docker <span class="facet-count">1<', html)
        # Read out as "Docker 1 role", with no aria-label on a span (invalid HTML).
        assert '<span class="visually-hidden"> role</span>' in html
        assert not re.search(r"<span[^>]*aria-label", html)
        assert 'id="skill-pytorch" checked' in html

    def test_active_filters_are_removable_chips_with_clear_all(self, client, seeded):
        html = html_of(client.get(LIST, {"skill": ["pytorch", "docker"], "match": "any"}))

        assert 'href="/roles/?skill=docker&match=any" aria-label="Remove filter PyTorch"' in html
        assert f'href="{LIST}">Clear all</a>' in html

    def test_pagination_keeps_the_filters(self, client):
        RoleFactory.create_batch(13, seniority="mid")

        html = html_of(client.get(LIST, {"seniority": "mid"}))

        assert 'href="?seniority=mid&page=2"' in html
        response = client.get(LIST, {"seniority": "mid", "page": "2"})
        assert len(result_titles(response)) == 1

    @pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1e9", ""])
    def test_a_bad_page_number_shows_a_real_page(self, client, page):
        RoleFactory.create_batch(13)

        response = client.get(LIST, {"page": page})

        assert response.status_code == 200
        assert response.context["page_obj"].number in (1, 2)

    def test_empty_results_suggest_which_filter_to_drop(self, client, seeded):
        html = html_of(client.get(LIST, {"skill": "onnx", "seniority": "senior"}))

        assert "No role template matches all of these filters." in html
        assert '<a href="/roles/?seniority=senior">Drop the skill filters</a>: 1 role' in html
        assert '<a href="/roles/?skill=onnx">Drop the seniority filter</a>: 1 role' in html

    def test_a_search_alone_that_finds_nothing_says_so_in_its_own_words(self, client, seeded):
        html = html_of(client.get(LIST, {"q": "quantum basketweaving"}))

        assert "No role template matches “quantum basketweaving”." in html
        assert "these filters" not in html
        assert "one of them" not in html

    @pytest.mark.parametrize(
        "params",
        [
            {"skill": "cobol"},
            {"seniority": "guru"},
            {"family": "astrology"},
            {"match": "some"},
            {"q": "x" * 3000},
            {"skill": "x" * 3000, "page": "y" * 3000},
        ],
    )
    def test_bad_parameters_are_left_out_without_failing(self, client, seeded, params):
        response = client.get(LIST, params)

        assert response.status_code == 200
        assert response.context["paginator"].count == 6

    @pytest.mark.parametrize("q", ["' OR 1=1 --", "a & b | !c", "<script>", '"unclosed'])
    def test_search_syntax_is_just_text(self, client, seeded, q):
        response = client.get(LIST, {"q": q})

        assert response.status_code == 200
        assert response.context["paginator"].count == 0

    def test_unknown_skill_is_explained_on_the_page(self, client, seeded):
        html = html_of(client.get(LIST, {"skill": "cobol"}))

        assert "We don't know the skill “cobol”; it was left out." in html

    def test_the_call_to_action_carries_the_one_chosen_seniority(self, client, seeded):
        one = html_of(client.get(LIST, {"seniority": "senior", "skill": "pytorch"}))
        two = html_of(client.get(LIST, {"seniority": ["senior", "mid"]}))

        assert 'href="/contact/?seniority=senior">Speak with a recruiting expert' in one
        assert 'href="/contact/">Speak with a recruiting expert' in two

    def test_unpublished_roles_are_not_listed(self, client):
        RoleFactory(title="Visible")
        RoleFactory(title="Hidden draft", published=False)

        assert result_titles(client.get(LIST)) == ["Visible"]


class TestRoleDetail:
    def test_every_bullet_of_the_seed_is_on_its_page_in_order(self, client, seeded):
        for slug, seed_role in parse_seed().items():
            html = html_of(client.get(reverse("roles:detail", args=[slug])))
            positions = [
                html.index(f"<li>{b}</li>") for s in seed_role.sections.values() for b in s
            ]
            assert positions == sorted(positions), slug
            for paragraph in seed_role.overview:
                assert f"<p>{paragraph}</p>" in html

    def test_sections_come_in_the_seed_order(self, client, seeded):
        html = html_of(client.get(reverse("roles:detail", args=["machine-learning-engineer"])))

        headings = re.findall(r'<h2 id="[a-z_]+-heading" class="h4">([^<]+)</h2>', html)
        assert headings == [
            "Overview",
            "Responsibilities",
            "Hard skills",
            "Soft skills",
            "Education",
            "Certifications",
            "Preferred qualifications",
            "Salary",
            "Skills and tools",
            "Specialised templates",
        ]

    def test_shows_experience_seniority_salary_and_its_source(self, client, seeded):
        html = html_of(client.get(reverse("roles:detail", args=["machine-learning-engineer"])))

        assert "2-4 years" in html
        assert "Mid level" in html
        assert (
            "The average national salary for a Machine Learning Engineer is <strong>$122,375"
            in html
        )
        assert "Source: The agency's own figure" in html
        assert "<strong>Data Scientists</strong> (SOC 15-2051), an editorial choice" in html

    def test_editorial_seniority_is_labelled(self, client, seeded):
        html = html_of(client.get(reverse("roles:detail", args=["deep-learning-engineer"])))

        assert "(editor's choice: The template states no years of experience." in html

    def test_skills_link_to_their_pages(self, client, seeded):
        html = html_of(client.get(reverse("roles:detail", args=["edge-ai-engineer"])))

        assert '<a href="/skills/nvidia-jetson/">NVIDIA Jetson</a>' in html

    def test_call_to_action_carries_the_role(self, client, seeded):
        html = html_of(client.get(reverse("roles:detail", args=["nlp-engineer"])))

        assert (
            'href="/contact/?role=nlp-engineer">Speak with a recruiting expert about this role'
            in html
        )

    def test_breadcrumbs_and_related_roles(self, client, seeded):
        response = client.get(reverse("roles:detail", args=["nlp-engineer"]))
        html = html_of(response)

        assert (
            '<a href="/roles/machine-learning-engineer/">Machine Learning Engineer</a></li>' in html
        )
        related = list(response.context["related_roles"])
        assert len(related) == 3
        assert "nlp-engineer" not in {r.slug for r in related}
        shared = [r.shared_skills for r in related]
        assert shared == sorted(shared, reverse=True)
        assert f"{shared[0]} shared skills" in html

    def test_unpublished_role_is_404(self, client):
        RoleFactory(slug="draft-engineer", published=False)

        assert client.get(reverse("roles:detail", args=["draft-engineer"])).status_code == 404

    def test_unknown_role_is_404(self, client):
        assert client.get("/roles/no-such-role/").status_code == 404

    def test_json_ld_parses_and_carries_the_occupation(self, client, seeded):
        html = client.get(reverse("roles:detail", args=["machine-learning-engineer"])).content
        block = re.search(rb'<script type="application/ld\+json">(.*?)</script>', html, re.S)

        data = json.loads(block[1])
        assert data["@type"] == "Occupation"
        assert "JobPosting" not in html.decode()
        assert data["url"] == "http://testserver/roles/machine-learning-engineer/"
        assert {
            "name",
            "description",
            "skills",
            "responsibilities",
            "educationRequirements",
            "experienceRequirements",
            "occupationalCategory",
            "estimatedSalary",
        } <= set(data)

    def test_json_ld_cannot_close_its_script_tag(self, client, seeded):
        Role.objects.filter(slug="nlp-engineer").update(summary="</script><script>alert(1)")

        html = client.get(reverse("roles:detail", args=["nlp-engineer"])).content.decode()

        assert "</script><script>alert(1)" not in html
        assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in html

    def test_canonical_and_open_graph_tags(self, client, seeded):
        html = html_of(
            client.get(reverse("roles:detail", args=["mlops-engineer"]), {"area": "41940"})
        )

        assert '<link rel="canonical" href="http://testserver/roles/mlops-engineer/">' in html
        assert (
            '<meta property="og:title" content="MLOps Engineer job description template">' in html
        )


class TestSkillPages:
    def test_skills_are_grouped_by_kind_with_role_counts(self, client, seeded):
        html = html_of(client.get(reverse("roles:skills")))

        kinds = re.findall(r'<h2 id="kind-\d+" class="h5">([^<]+)</h2>', html)
        assert kinds == [
            "Languages",
            "Frameworks and libraries",
            "Cloud platforms",
            "MLOps tools",
            "Hardware",
            "Techniques",
            "Soft skills",
        ]
        assert re.search(r'>PyTorch</a> <span class="text-body-secondary">3 roles<', html)

    def test_skills_read_in_alphabetical_order_whatever_their_case(self, client, seeded):
        skills = Skill.objects.in_use().by_kind()

        for kind in {skill.kind for skill in skills}:
            names = [skill.name for skill in skills if skill.kind == kind]
            assert names == sorted(names, key=str.casefold)

    def test_a_skill_page_lists_the_roles_that_need_it(self, client, seeded):
        response = client.get(reverse("roles:skill", args=["pytorch"]))

        assert {r.slug for r in response.context["roles"]} == {
            "machine-learning-engineer",
            "computer-vision-engineer",
            "deep-learning-engineer",
        }
        assert "3 role templates ask for PyTorch." in html_of(response)

    def test_unknown_skill_is_404(self, client):
        assert client.get("/skills/cobol/").status_code == 404


def rename_skill(old_slug: str, new_slug: str) -> Skill:
    skill = Skill.objects.get(slug=old_slug)
    skill.slug = new_slug
    skill.save()
    skill_rename(skill=skill, old_slug=old_slug)
    return skill


class TestSkillsThatMoved:
    """Old addresses of renamed and merged skills lead to them for good (301)."""

    def test_a_renamed_skills_old_page_moves_to_its_new_one(self, client, seeded):
        rename_skill("pytorch", "torch")

        response = client.get("/skills/pytorch/")

        assert response.status_code == 301
        assert response["Location"] == "/skills/torch/"
        assert client.get("/skills/torch/").status_code == 200

    def test_a_merged_skills_page_moves_to_the_skill_kept(self, client, seeded):
        skill_merge(
            survivor=Skill.objects.get(slug="tensorflow"),
            merged=[Skill.objects.get(slug="tensorflow-lite")],
            by=None,
        )

        response = client.get("/skills/tensorflow-lite/")

        assert (response.status_code, response["Location"]) == (301, "/skills/tensorflow/")

    def test_a_skill_at_an_old_address_wins_over_the_redirect(self, client, seeded):
        rename_skill("pytorch", "torch")
        Skill.objects.create(name="PyTorch classic", slug="pytorch", kind="framework")

        assert client.get("/skills/pytorch/").status_code == 200

    def test_an_unknown_skill_page_is_still_404(self, client, seeded):
        rename_skill("pytorch", "torch")

        assert client.get("/skills/cobol/").status_code == 404

    def test_the_role_list_moves_to_the_same_query_at_the_new_slug(self, client, seeded):
        rename_skill("pytorch", "torch")

        response = client.get(f"{LIST}?skill=pytorch&skill=docker&seniority=mid&match=any")

        assert response.status_code == 301
        assert response["Location"] == f"{LIST}?skill=torch&skill=docker&seniority=mid&match=any"
        followed = client.get(response["Location"])
        assert {role.slug for role in followed.context["object_list"]} == {
            "machine-learning-engineer",
            "computer-vision-engineer",
            "mlops-engineer",
        }

    def test_other_parameters_keep_their_place(self, client, seeded):
        rename_skill("pytorch", "torch")

        response = client.get(f"{LIST}?q=vision&seniority=mid&skill=pytorch&page=1")

        assert response["Location"] == f"{LIST}?q=vision&seniority=mid&skill=torch&page=1"

    def test_an_old_and_a_new_slug_of_one_skill_become_one_choice(self, client, seeded):
        rename_skill("pytorch", "torch")
        rename_skill("torch", "py-torch")

        response = client.get(f"{LIST}?skill=pytorch&skill=torch&skill=py-torch")

        assert (response.status_code, response["Location"]) == (301, f"{LIST}?skill=py-torch")

    def test_an_unknown_skill_in_the_list_is_still_left_out_on_the_page(self, client, seeded):
        rename_skill("pytorch", "torch")

        html = html_of(client.get(LIST, {"skill": ["cobol", "torch"]}))

        assert "We don't know the skill “cobol”; it was left out." in html


class TestSearchEngines:
    def test_sitemap_lists_home_lists_every_published_role_and_used_skill(self, client, seeded):
        RoleFactory(slug="draft-engineer", published=False)

        xml = client.get("/sitemap.xml").content.decode()
        locations = set(re.findall(r"<loc>http://testserver(.*?)</loc>", xml))

        expected = {"/", "/roles/", "/skills/", "/salaries/", "/contact/", "/privacy/"}
        expected |= {"/services/", "/insights/", "/about/"}
        expected |= {f"/salaries/?role={r.slug}" for r in Role.objects.published()}
        expected |= {r.get_absolute_url() for r in Role.objects.published()}
        expected |= {s.get_absolute_url() for s in Skill.objects.in_use()}
        assert locations == expected
        assert "/roles/draft-engineer/" not in locations

    def test_robots_txt_points_at_the_sitemap(self, client):
        text = client.get("/robots.txt").content.decode()

        assert "Sitemap: http://testserver/sitemap.xml" in text
        assert "Disallow: /admin/" in text

    def test_every_page_has_its_own_title_and_description(self, client, seeded):
        urls = [
            "/",
            "/roles/",
            "/roles/nlp-engineer/",
            "/roles/mlops-engineer/",
            "/skills/",
            "/skills/pytorch/",
            "/salaries/",
            "/contact/",
        ]
        heads = []
        for url in urls:
            html = html_of(client.get(url))
            title = re.search(r"<title>(.*?)</title>", html)[1]
            description = re.search(r'<meta name="description" content="(.*?)">', html)[1]
            heads.append((title, description))

        assert len({title for title, _ in heads}) == len(urls)
        assert len({description for _, description in heads}) == len(urls)


def _make_library(size: int) -> None:
    """`size` published roles, each with skills and items, in bulk."""
    family = RoleFamily.objects.create(name="Family", slug="family")
    skills = Skill.objects.bulk_create(
        Skill(name=f"Skill {i}", slug=f"skill-{i}", kind="framework") for i in range(20)
    )
    roles = Role.objects.bulk_create(
        Role(
            title=f"Role {i}",
            slug=f"role-{i}",
            family=family,
            summary="s",
            overview="o",
            seniority="mid",
            soc_code="15-2051",
            soc_title="Data Scientists",
            soc_rationale="r",
            copy=Copy.LIVE,
            published=True,
            last_reviewed="2026-11-01",
        )
        for i in range(size)
    )
    Role.skills.through.objects.bulk_create(
        Role.skills.through(role=role, skill=skills[(i + j) % 20])
        for i, role in enumerate(roles)
        for j in range(5)
    )
    RoleItem.objects.bulk_create(
        RoleItem(role=role, section=Section.RESPONSIBILITY, position=j, text=f"Do {j}")
        for role in roles
        for j in range(4)
    )


# The query budget of each page, the same at 6 roles and at 500.
QUERY_BUDGET = {
    # skill and family choices, count, page, skills of the page, three facets
    "/roles/": 8,
    # and for the search: the synonyms, whether each word is in the library (roles.search)
    "/roles/?skill=skill-1&skill=skill-2&match=any&seniority=mid&q=role": 10,
    # role, items, specialisations, skills, related roles, wage year, wages, its insights,
    # the recruiters of its family
    "/roles/role-1/": 9,
    "/skills/": 1,
    "/skills/skill-1/": 3,
    # families with their roles; at a glance: templates, markets, the wage year;
    # placement figures and testimonials
    "/": 7,
    # roles, their salary pages (a count and the slugs), skills, and counts of published
    # service pages and articles (none here)
    "/sitemap.xml": 8,
}


@pytest.mark.parametrize("size", [6, 500])
@pytest.mark.parametrize("url", list(QUERY_BUDGET))
def test_pages_run_a_fixed_number_of_queries(client, django_assert_max_num_queries, size, url):
    _make_library(size)

    with django_assert_max_num_queries(QUERY_BUDGET[url]):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("Machine Learning Engineer", "a Machine Learning Engineer"),
        ("MLOps Engineer", "an MLOps Engineer"),
        ("NLP Engineer", "an NLP Engineer"),
        ("Edge AI Engineer", "an Edge AI Engineer"),
        ("Computer Vision Engineer", "a Computer Vision Engineer"),
        ("UX Researcher", "a UX Researcher"),
        ("", ""),
    ],
)
def test_a_role_is_named_with_the_article_it_is_said_with(title, said):
    assert with_article(title) == said


def test_a_role_page_asks_in_good_english(client, seeded):
    html = html_of(client.get(reverse("roles:detail", args=["mlops-engineer"])))

    assert "Hiring an MLOps Engineer?" in html
    assert "Hiring a MLOps" not in html
