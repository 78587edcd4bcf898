"""The role library's search (roles.search), as visitors meet it on /roles/?q=.

Run on SQLite and on PostgreSQL (DATABASE_URL): the expected answers are the
same constants on both, so a difference between the databases fails here.
"""

import pytest
from django.db import IntegrityError
from django.http import QueryDict
from django.urls import reverse

from roles.filters import RoleFilter, drop_suggestions
from roles.models import Role, SearchSynonym, Seniority
from roles.search import read_search
from roles.tests.factories import RoleFactory, SkillFactory, seed_synonyms
from roles.tests.test_views import _make_library, html_of

pytestmark = pytest.mark.django_db

LIST = reverse("roles:list")
MLE, NLP, CV, MLOPS, DL, EDGE = (
    "machine-learning-engineer",
    "nlp-engineer",
    "computer-vision-engineer",
    "mlops-engineer",
    "deep-learning-engineer",
    "edge-ai-engineer",
)


@pytest.fixture
def library(seeded):
    """The seed library with the synonyms its migration seeds (a flushing test
    elsewhere in the run may have emptied them)."""
    seed_synonyms()


def results(client, q: str, **params) -> list[str]:
    response = client.get(LIST, {"q": q, **params})
    assert response.status_code == 200
    return [role.slug for role in response.context["object_list"]]


def ranked(q: str) -> list[tuple[str, int]]:
    roles = Role.objects.published().search(q)
    return list(roles.values_list("slug", "search_rank"))


class TestSkillsAndSeniority:
    def test_pytorch_senior_finds_the_senior_pytorch_role_first(self, client, library):
        found = results(client, "pytorch senior")

        # Deep Learning Engineer is the senior template and needs PyTorch; the
        # other PyTorch roles follow. Before issue 11 this found nothing.
        assert found[0] == DL
        assert set(found) == {DL, MLE, CV}

    def test_a_seniority_word_means_the_level_not_the_text(self, client, library):
        # No template's text says "senior"; the field does.
        assert results(client, "senior") == [DL]
        assert results(client, "Sr.") == [DL]

    def test_other_seniority_words_map_to_levels(self, library):
        RoleFactory(title="Head of Research", slug="head", seniority=Seniority.LEAD)
        RoleFactory(title="Research Assistant", slug="assistant", seniority=Seniority.ENTRY)

        assert [slug for slug, _ in ranked("principal")] == ["head"]
        assert [slug for slug, _ in ranked("junior")] == ["assistant"]
        assert [slug for slug, _ in ranked("entry-level")] == ["assistant"]
        assert {slug for slug, _ in ranked("mid-level")} == {MLE, NLP, CV, MLOPS, EDGE}

    def test_a_skill_is_found_by_name_or_slug_in_any_case(self, client, library):
        for q in ["Scikit-learn", "scikit learn", "SCIKIT-LEARN"]:
            assert set(results(client, q)) == {MLE}, q
        assert set(results(client, "hugging-face-transformers")) == set(
            results(client, "Hugging Face Transformers")
        )

    def test_a_role_tagged_with_a_skill_is_found_though_its_text_never_names_it(self, client):
        skill = SkillFactory(name="JAX", slug="jax")
        RoleFactory(title="Research Engineer", slug="research", skills=[skill])

        assert results(client, "jax") == ["research"]

    def test_plurals_read_alike(self, library):
        assert ranked("GPU") == ranked("GPUs")
        assert ranked("pipeline") == ranked("pipelines")


class TestSynonyms:
    def test_ml_engineer_and_machine_learning_engineer_give_the_same_results(self, client, library):
        assert results(client, "ML engineer") == results(client, "machine learning engineer")
        assert ranked("ML engineer") == ranked("machine learning engineer")

    @pytest.mark.parametrize(
        ("short", "long"),
        [
            ("ML", "machine learning"),
            ("CV", "computer vision"),
            ("NLP", "natural language processing"),
            ("DL", "deep learning"),
            ("GenAI", "generative AI"),
            ("LLM", "large language model"),
        ],
    )
    def test_a_term_and_its_expansion_find_the_same_roles(self, library, short, long):
        assert ranked(short) == ranked(long)
        assert ranked(short)  # something to compare

    def test_without_the_synonym_the_abbreviation_finds_less(self, library):
        assert ranked("CV") == [(CV, 103), (MLE, 102)]  # the title, the skill

        SearchSynonym.objects.filter(term="CV").delete()

        assert ranked("CV") == [(CV, 101)]  # "building and deploying CV models"

    def test_a_synonym_added_in_the_admin_applies_to_the_next_search(self, client, editor):
        RoleFactory(
            title="Research Engineer",
            slug="research",
            responsibilities=["Train models in PyTorch."],
        )
        assert results(client, "torch") == []
        client.force_login(editor)

        response = client.post(
            reverse("admin:roles_searchsynonym_add"), {"term": "torch", "expansions": "PyTorch"}
        )

        assert response.status_code == 302
        assert results(client, "torch") == ["research"]

    def test_a_synonym_changed_in_the_admin_applies_to_the_next_search(
        self, client, editor, library
    ):
        synonym = SearchSynonym.objects.get(term="CV")
        client.force_login(editor)

        response = client.post(
            reverse("admin:roles_searchsynonym_change", args=[synonym.pk]),
            {"term": "CV", "expansions": "computer vision, quantization"},
        )

        assert response.status_code == 302
        assert set(results(client, "CV")) == {CV, MLE, EDGE}
        assert set(results(client, "quantization")) == {CV, MLE, EDGE}

    @pytest.mark.parametrize("staff", ["superuser", "editor"])
    def test_the_synonym_admin_searches_adds_and_changes(
        self, client, admin_user, editor, library, staff
    ):
        client.force_login(admin_user if staff == "superuser" else editor)
        ml = SearchSynonym.objects.get(term="ML")

        changelist = client.get(reverse("admin:roles_searchsynonym_changelist"), {"q": "machine"})
        add = client.get(reverse("admin:roles_searchsynonym_add"))
        change = client.get(reverse("admin:roles_searchsynonym_change", args=[ml.pk]))

        assert [s.term for s in changelist.context["cl"].result_list] == ["ML", "MLOps"]
        assert "machine learning operations" in html_of(changelist)
        assert (add.status_code, change.status_code) == (200, 200)

    def test_a_term_is_unique_whatever_its_case(self, library):
        with pytest.raises(IntegrityError):
            SearchSynonym.objects.create(term="ml", expansions="markup language")

    def test_the_admin_refuses_a_synonym_without_expansions(self, admin_client):
        response = admin_client.post(
            reverse("admin:roles_searchsynonym_add"), {"term": "RL", "expansions": " , "}
        )

        assert response.status_code == 200
        assert response.context["adminform"].form.errors == {
            "expansions": ["Give at least one expansion."]
        }

    def test_blank_fields_get_one_message_each(self, admin_client):
        response = admin_client.post(
            reverse("admin:roles_searchsynonym_add"), {"term": "   ", "expansions": "  "}
        )

        assert response.context["adminform"].form.errors == {
            "term": ["This field is required."],
            "expansions": ["This field is required."],
        }


class TestTypos:
    @pytest.mark.parametrize(
        ("typed", "meant"),
        [("pytorh", "pytorch"), ("enginer", "engineer"), ("kubrenetes", "kubernetes")],
    )
    def test_a_typo_finds_what_the_word_finds(self, client, library, typed, meant):
        assert results(client, typed) == results(client, meant)
        assert results(client, typed)

    def test_a_corrected_typo_is_said_on_the_page(self, client, library):
        html = html_of(client.get(LIST, {"q": "pytorh senior"}))

        assert "Showing results for <strong>pytorch senior</strong> instead of “pytorh senior”" in (
            html
        )

    def test_a_typo_inside_a_phrase_still_reads_the_phrase(self, library):
        search = read_search("machne lerning", roles=Role.objects.published())

        assert search.corrected == "machine learning"
        assert ranked("machne lerning") == ranked("machine learning")

    def test_a_word_in_the_library_is_never_corrected(self, client, library):
        response = client.get(LIST, {"q": "quantization"})

        assert [r.slug for r in response.context["object_list"]] == [EDGE]
        assert "Showing results for" not in html_of(response)

    def test_a_word_far_from_every_library_word_finds_nothing(self, client, library):
        assert results(client, "blockchain") == []


class TestRanking:
    def test_any_word_may_match(self, library):
        assert {slug for slug, _ in ranked("quantization kubernetes")} == {EDGE, MLE, MLOPS}

    def test_a_role_matching_every_word_ranks_above_roles_matching_some(self, client, library):
        found = results(client, "pytorch docker")

        assert found[0] == MLE  # the one template that needs both
        assert set(found) == {MLE, CV, DL, MLOPS}

    def test_a_title_match_ranks_above_a_mention(self, client, library):
        # Deep Learning Engineer mentions vision; Computer Vision Engineer is titled so.
        found = results(client, "vision")

        assert found[0] == CV
        assert DL in found

    def test_equal_ranks_keep_the_library_order(self, client, library):
        assert results(client, "engineer") == results(client, "")

    def test_the_ranking_is_the_same_on_every_database(self, library):
        # Constants, not a comparison: the same expectation on SQLite and PostgreSQL.
        assert ranked("pytorch senior") == [(DL, 204), (CV, 102), (MLE, 102)]
        assert ranked("NLP") == [(NLP, 103), (DL, 102), (MLE, 102)]


class TestWithTheFilters:
    def test_search_composes_with_the_facets(self, client, library):
        assert results(client, "pytorch", seniority="mid") == [MLE, CV]
        assert results(client, "ML", skill="onnx") == [EDGE]

    def test_facet_counts_follow_the_search(self, library):
        counts = RoleFilter(
            QueryDict("q=pytorch"), queryset=Role.objects.published()
        ).facet_counts()

        assert counts["seniority"] == {"mid": 2, "senior": 1}
        assert counts["skill"]["pytorch"] == 3

    def test_nothing_found_suggests_dropping_the_search(self, library):
        f = RoleFilter(
            QueryDict("q=blockchain&seniority=senior"), queryset=Role.objects.published()
        )

        assert not f.qs.exists()
        assert [(s.label, s.count) for s in drop_suggestions(f)] == [("the search", 1)]

    @pytest.mark.parametrize("q", ["!!!", "' OR 1=1 --", "the and of"])
    def test_text_without_a_word_to_search_finds_nothing(self, client, library, q):
        assert results(client, q) == []

    def test_a_blank_search_lists_everything(self, client, library):
        assert len(results(client, "   ")) == 6

    def test_terms_past_the_tenth_are_left_out(self, client, library):
        unknown = [f"qz{i}x" for i in range(10)]

        assert results(client, " ".join([*unknown[:9], "pytorch"])) == [MLE, CV, DL]
        assert results(client, " ".join([*unknown, "pytorch"])) == []

    def test_a_repeated_word_counts_once(self, client, library):
        assert ranked(" ".join(["pytorch"] * 25)) == ranked("pytorch")


# Queries per page with a search: the list page's eight (test_views), then the
# synonyms, one query for whether each plain word is in the library, and one for
# the vocabulary when a word is not. The same at 6 roles and at 500.
SEARCH_QUERIES = {
    "skill-3 senior": 9,  # a skill and a level: nothing to check in the text
    "role senior": 10,
    "rolle senior skill-3": 11,  # "rolle" is read as "role"
}


@pytest.mark.parametrize("size", [6, 500])
@pytest.mark.parametrize(("q", "queries"), list(SEARCH_QUERIES.items()))
def test_a_search_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, size, q, queries
):
    _make_library(size)

    with django_assert_num_queries(queries):
        response = client.get(LIST, {"q": q, "skill": "skill-1", "seniority": "mid"})

    assert response.status_code == 200
    assert response.context["paginator"].count
