"""The builder's wording checks on known inputs: they advise, never block."""

import pytest

from roles.builder.wording import (
    MAX_REQUIRED_ITEMS,
    gender_coding,
    reading_ease,
    wording_advice,
    words_of,
)
from roles.models.library import SENIORITY_YEARS, Seniority

PLAIN = "We build models with the team. " * 60  # 360 words, plain, nothing coded
SENIOR = SENIORITY_YEARS[Seniority.SENIOR]


def advice_for(text=PLAIN, required_items=3, years_asked=None, years_range=SENIOR):
    return {
        advice.check: advice.message
        for advice in wording_advice(
            text, required_items=required_items, years_asked=years_asked, years_range=years_range
        )
    }


class TestGenderCoding:
    def test_stems_find_the_words_they_begin(self):
        coding = gender_coding(
            "A competitive, self-reliant leader who supports a collaborative, warm team."
        )

        assert coding.masculine == ["competitive", "self-reliant", "leader"]
        assert coding.feminine == ["supports", "collaborative", "warm"]
        assert coding.leaning == "neutral"

    def test_a_stem_inside_a_word_is_not_a_match(self):
        # "lead" begins "leader", not "misleading"; "kind" begins no word of this text.
        assert gender_coding("Misleading metrics of any mankind").masculine == []
        assert gender_coding("Misleading metrics of any mankind").feminine == []

    def test_hyphenated_words_split_unless_they_are_coded_whole(self):
        assert words_of("data-driven, self-confident") == ["data", "driven", "self-confident"]
        assert gender_coding("data-driven").masculine == ["driven"]

    def test_the_leaning_follows_the_counts(self):
        assert gender_coding("Ambitious, assertive and dominant.").leaning == "masculine"
        assert gender_coding("Kind, loyal and supportive, but decisive.").leaning == "feminine"


class TestAdvice:
    def test_a_plain_posting_of_a_good_length_gets_no_advice(self):
        assert advice_for() == {}

    def test_masculine_wording_is_named_with_its_words_and_the_research(self):
        text = PLAIN + "An ambitious, competitive, fearless rock star."

        message = advice_for(text)["gender"]

        assert message.startswith("Leans masculine-coded: ambitious, competitive, fearless.")
        assert "Gaucher, Friesen and Kay, 2011" in message

    @pytest.mark.parametrize(
        ("words", "says"),
        [(100, "100 words: short for a posting"), (1200, "1200 words: long for a posting")],
    )
    def test_length_is_judged_in_words(self, words, says):
        assert advice_for("team " * words)["length"].startswith(says)

    def test_hard_text_is_flagged_with_its_score(self):
        hard = (
            "Operationalisation of heterogeneous multidimensional infrastructural "
            "considerations necessitates organisational interdisciplinarity. "
        ) * 30

        assert reading_ease(hard) < 30
        assert advice_for(hard)["readability"].startswith("Hard to read (Flesch reading ease")
        assert reading_ease("") is None

    def test_too_many_required_items_is_requirements_inflation(self):
        assert "requirements" not in advice_for(required_items=MAX_REQUIRED_ITEMS)
        assert advice_for(required_items=MAX_REQUIRED_ITEMS + 4)["requirements"].startswith(
            f"{MAX_REQUIRED_ITEMS + 4} required items"
        )

    def test_years_above_the_seniority_are_flagged_and_lead_has_no_ceiling(self):
        assert advice_for(years_asked=10)["experience"] == (
            "Asks for 10 years, above this seniority's 5-8: choose a higher seniority or "
            "ask for fewer years."
        )
        assert "experience" not in advice_for(years_asked=7)
        lead = SENIORITY_YEARS[Seniority.LEAD]
        assert "experience" not in advice_for(years_asked=20, years_range=lead)
