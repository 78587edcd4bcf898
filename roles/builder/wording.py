"""Wording checks shown beside a posting's preview. They advise and never block.

Gender-coded words: the masculine- and feminine-coded word lists of Gaucher, Friesen
and Kay, "Evidence That Gendered Wording in Job Advertisements Exists and Sustains
Gender Inequality", Journal of Personality and Social Psychology 101(1), 109-128
(2011), as the open Gender Decoder (Kat Matfield) uses them: stems that match a word's
beginning ("compet" finds "competitive"). Masculine-coded wording was found to make
women find a job less appealing and to feel they belong less; feminine-coded wording
had no such effect on men.

Readability: Flesch reading ease, by textstat (0.7.8: later releases download NLTK
data at run time, which a server should not do).
"""

import re
from dataclasses import dataclass, field

import textstat

MASCULINE_CODED = (
    "active", "adventurous", "aggress", "ambitio", "analy", "assert", "athlet", "autonom",
    "battle", "boast", "challeng", "champion", "compet", "confident", "courag", "decid",
    "decision", "decisive", "defend", "determin", "domina", "dominant", "driven",
    "fearless", "fight", "force", "greedy", "head-strong", "headstrong", "hierarch",
    "hostil", "impulsive", "independen", "individual", "intellect", "lead", "logic",
    "objective", "opinion", "outspoken", "persist", "principle", "reckless",
    "self-confiden", "self-relian", "self-sufficien", "selfconfiden", "selfrelian",
    "selfsufficien", "stubborn", "superior", "unreasonab",
)  # fmt: skip
FEMININE_CODED = (
    "agree", "affectionate", "child", "cheer", "collab", "commit", "communal", "compassion",
    "connect", "considerate", "cooperat", "co-operat", "depend", "emotiona", "empath",
    "feel", "flatterable", "gentle", "honest", "interpersonal", "interdependen",
    "interpersona", "inter-personal", "inter-dependen", "inter-persona", "kind", "kinship",
    "loyal", "modesty", "nag", "nurtur", "pleasant", "polite", "quiet", "respon",
    "sensitiv", "submissive", "support", "sympath", "tender", "together", "trust",
    "understand", "warm", "whin", "enthusias", "inclusive", "yield", "share", "sharin",
)  # fmt: skip
HYPHENATED = tuple(stem for stem in MASCULINE_CODED + FEMININE_CODED if "-" in stem)
WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")

# The agency's rules of thumb for a posting's length, in words (the template, the
# employer's "about us" and benefits together).
TOO_SHORT_WORDS = 250
TOO_LONG_WORDS = 1000
# Flesch reading ease below this reads as "difficult" (college level).
HARD_TO_READ_BELOW = 30
# More "required" items than this narrows the pool: people who miss one skip the job.
MAX_REQUIRED_ITEMS = 8


@dataclass(frozen=True)
class GenderCoding:
    masculine: list[str] = field(default_factory=list)
    feminine: list[str] = field(default_factory=list)

    @property
    def leaning(self) -> str:
        """ "masculine", "feminine" or "neutral": which kind of coded word outnumbers
        the other, as the decoder reads a whole advert."""
        if len(self.masculine) > len(self.feminine):
            return "masculine"
        if len(self.feminine) > len(self.masculine):
            return "feminine"
        return "neutral"


def words_of(text: str) -> list[str]:
    """The text's words, lower case; a hyphenated word stays whole only when it is one
    of the hyphenated stems ("self-reliant"), else its parts count ("data-driven")."""
    words = []
    for word in WORD.findall(text.casefold()):
        if "-" in word and not word.startswith(HYPHENATED):
            words.extend(word.split("-"))
        else:
            words.append(word)
    return words


def gender_coding(text: str) -> GenderCoding:
    """Each coded word as it appears in `text`, in order, repeats included."""
    words = words_of(text)
    return GenderCoding(
        masculine=[word for word in words if word.startswith(MASCULINE_CODED)],
        feminine=[word for word in words if word.startswith(FEMININE_CODED)],
    )


def reading_ease(text: str) -> float | None:
    """Flesch reading ease (higher is easier; 60-70 is plain English); None without text."""
    if not words_of(text):
        return None
    return float(textstat.flesch_reading_ease(text))


@dataclass(frozen=True)
class Advice:
    """One check's finding, as the builder shows it beside the preview."""

    check: str
    message: str


def wording_advice(
    text: str,
    *,
    required_items: int,
    years_asked: int | None,
    years_range: tuple[int, int | None],
) -> list[Advice]:
    """What the builder says of a posting's text. `required_items` counts the bullets
    marked required; `years_asked` is the experience the posting asks for and
    `years_range` the chosen seniority's range (SENIORITY_YEARS; lead has no top)."""
    advice = []
    coding = gender_coding(text)
    if coding.leaning == "masculine":
        advice.append(
            Advice(
                "gender",
                f"Leans masculine-coded: {', '.join(sorted(set(coding.masculine)))}. Research "
                "(Gaucher, Friesen and Kay, 2011) found such wording puts women off applying.",
            )
        )
    elif coding.leaning == "feminine":
        advice.append(
            Advice(
                "gender",
                f"Leans feminine-coded: {', '.join(sorted(set(coding.feminine)))}. That does "
                "not put men off (Gaucher, Friesen and Kay, 2011); no change needed.",
            )
        )
    count = len(words_of(text))
    if count < TOO_SHORT_WORDS:
        advice.append(
            Advice("length", f"{count} words: short for a posting (under {TOO_SHORT_WORDS}).")
        )
    elif count > TOO_LONG_WORDS:
        advice.append(
            Advice("length", f"{count} words: long for a posting (over {TOO_LONG_WORDS}).")
        )
    ease = reading_ease(text)
    if ease is not None and ease < HARD_TO_READ_BELOW:
        advice.append(
            Advice(
                "readability",
                f"Hard to read (Flesch reading ease {ease:.0f}): shorter sentences and "
                "plainer words help.",
            )
        )
    if required_items > MAX_REQUIRED_ITEMS:
        advice.append(
            Advice(
                "requirements",
                f"{required_items} required items: people who miss one often do not apply. "
                f"Keep the must-haves to {MAX_REQUIRED_ITEMS} or fewer; make the rest preferred.",
            )
        )
    low, high = years_range
    if years_asked is not None and high is not None and years_asked > high:
        advice.append(
            Advice(
                "experience",
                f"Asks for {years_asked} years, above this seniority's {low}-{high}: "
                "choose a higher seniority or ask for fewer years.",
            )
        )
    return advice
