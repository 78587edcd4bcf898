"""Search of the role library: what a visitor types, read as they mean it.

`read_search` turns the text into terms. A phrase that names a skill ("pytorch",
"hugging face transformers"), a seniority level ("senior", "junior") or one way
of a synonym group ("ML" / "machine learning", kept by editors as
SearchSynonym) is one term; any other word is a term of its own. A word that
matches nothing in the library but is close to a word of its vocabulary (skill
names, role titles, synonyms, seniority words) is read as that word: "pytorh"
as "pytorch".

`search_roles` keeps the roles that match any term, ranked by how many terms
they match, then by where: the title counts most, then the skills and level the
role is tagged with, then the rest of its text.

Both databases answer alike, which the tests check on both. Words are matched
by regular expressions anchored at word starts, which PostgreSQL runs natively
and SQLite through the REGEXP function Django gives it; the library is small
enough to read whole. PostgreSQL narrows the vocabulary for typos with pg_trgm,
then the closest word is chosen in Python exactly as on SQLite. A stored search
document (a SearchVectorField with a GIN index) can later replace `_mentions`
without changing how queries are read or ranked.
"""

import difflib
import operator
import re
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Greatest

from roles.models import Role, RoleItem, SearchSynonym, Seniority, Skill

RoleSkill = Role.skills.through

# Terms beyond this many add nothing but cost.
MAX_SEARCH_TERMS = 10
# The longest phrase looked up, in words ("hugging face transformers").
MAX_PHRASE_WORDS = 4
# Longer "words" name nothing in the library and only make long patterns.
MAX_WORD_LENGTH = 40
# Shorter words are too ambiguous to correct: "ml" is no typo of "mlops".
MIN_CORRECTED_LENGTH = 4
# How close (difflib's ratio) a word must be to a vocabulary word to be read as
# it: "pytorh" ~ "pytorch" is 0.92, "enginer" ~ "engineer" 0.93.
CORRECTION_CUTOFF = 0.8
# pg_trgm word similarity below which a skill name, title or synonym cannot hold
# the correction. Lenient, because it only narrows what difflib chooses from.
TRIGRAM_CANDIDATE_THRESHOLD = 0.3

# Words that say nothing about a role; "or" and "and" are not operators here.
# fmt: off
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is",
    "of", "on", "or", "the", "to", "with", "without",
})
# fmt: on

SENIORITY_WORDS = {
    "entry": Seniority.ENTRY,
    "entry level": Seniority.ENTRY,
    "junior": Seniority.ENTRY,
    "jr": Seniority.ENTRY,
    "graduate": Seniority.ENTRY,
    "mid": Seniority.MID,
    "mid level": Seniority.MID,
    "intermediate": Seniority.MID,
    "senior": Seniority.SENIOR,
    "senior level": Seniority.SENIOR,
    "sr": Seniority.SENIOR,
    "lead": Seniority.LEAD,
    "principal": Seniority.LEAD,
    "staff": Seniority.LEAD,
}

# Each matched term is worth more than any mix of places the terms matched
# (at most PLACE_TITLE per term), so a role matching every term ranks above one
# matching some, and then title matches above skill and level, above the text.
MATCHED = 100
PLACE_TITLE, PLACE_TAGGED, PLACE_TEXT = 3, 2, 1

WORD = re.compile(r"\w+")


def words_of(text: str) -> list[str]:
    return [word for word in WORD.findall(text.casefold()) if len(word) <= MAX_WORD_LENGTH]


def stem(word: str) -> str:
    """Singular and plural read alike: "GPUs" and "GPU", "libraries" and "library"."""
    if len(word) >= 5 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def phrase_key(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """How a phrase is looked up: stemmed, without stopwords ("attention to detail")."""
    return tuple(stem(word) for word in words if word not in STOPWORDS)


@dataclass(frozen=True)
class Term:
    """One thing the visitor asked for, with every way the library may say it."""

    phrases: frozenset[tuple[str, ...]] = frozenset()  # stemmed words, stopwords kept
    skill_ids: frozenset[int] = frozenset()
    seniority: str = ""


@dataclass(frozen=True)
class RoleSearch:
    text: str
    terms: tuple[Term, ...] = ()
    # The query as it was read, when a word in it was corrected ("pytorch senior").
    corrected: str = ""

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class _Meaning:
    phrases: set[tuple[str, ...]] = field(default_factory=set)
    skill_ids: set[int] = field(default_factory=set)
    seniority: str = ""

    def absorb(self, other: "_Meaning") -> None:
        self.phrases |= other.phrases
        self.skill_ids |= other.skill_ids
        self.seniority = self.seniority or other.seniority

    def term(self) -> Term:
        return Term(frozenset(self.phrases), frozenset(self.skill_ids), self.seniority)


def build_lexicon(skills, synonyms) -> dict[tuple[str, ...], Term]:
    """{phrase key: the term it means} for skills, seniority words and synonym groups.

    Synonym groups that share a phrase are one group ("ML" in two rows), and a
    group that names a skill finds the roles tagged with it.
    """
    meanings: dict[tuple[str, ...], _Meaning] = {}

    def meaning(key):
        return meanings.setdefault(key, _Meaning())

    for skill in skills:
        for name in (skill.name, skill.slug):
            words = words_of(name)
            if key := phrase_key(words):
                meaning(key).phrases.add(tuple(stem(w) for w in words))
                meaning(key).skill_ids.add(skill.pk)
    for phrase, level in SENIORITY_WORDS.items():
        meaning(phrase_key(phrase.split())).seniority = level

    # Union-find over phrase keys: every key of a synonym group leads to one root.
    parent: dict[tuple[str, ...], tuple[str, ...]] = {}

    def root(key):
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    for synonym in synonyms:
        keys = []
        for phrase in synonym.phrases():
            words = words_of(phrase)
            if key := phrase_key(words):
                meaning(key).phrases.add(tuple(stem(w) for w in words))
                keys.append(key)
        for key in keys[1:]:
            if root(key) != root(keys[0]):
                parent[root(key)] = root(keys[0])
    groups: dict[tuple[str, ...], _Meaning] = {}
    for key, own in meanings.items():
        groups.setdefault(root(key), _Meaning()).absorb(own)
    return {key: groups[root(key)].term() for key in meanings}


def _read_terms(words: list[str], lexicon) -> list[tuple[str, Term, bool]]:
    """(words as typed, term, whether it is a plain word) for each distinct term, up to
    MAX_SEARCH_TERMS; phrases are read longest first."""
    read, position = [], 0
    while position < len(words):
        for size in range(min(MAX_PHRASE_WORDS, len(words) - position), 0, -1):
            chunk = words[position : position + size]
            key = phrase_key(chunk)
            if key and key in lexicon:
                read.append((" ".join(chunk), lexicon[key], False))
                position += size
                break
        else:
            word = words[position]
            position += 1
            # One letter ("a & b") says nothing, unless it names a skill (looked up above).
            if word not in STOPWORDS and len(word) > 1:
                read.append((word, Term(phrases=frozenset({(stem(word),)})), True))
    distinct: dict[Term, tuple[str, Term, bool]] = {}
    for typed, term, plain in read:
        distinct.setdefault(term, (typed, term, plain))
    return list(distinct.values())[:MAX_SEARCH_TERMS]


def read_search(text: str, *, roles: QuerySet, skills=None) -> RoleSearch:
    """Read `text` against the library in `roles`; `skills`, if the caller has them
    (every skill, with name and slug), spare a query."""
    words = words_of(text)
    if not words:
        return RoleSearch(text)
    skills = Skill.objects.only("name", "slug") if skills is None else skills
    lexicon = build_lexicon(skills, SearchSynonym.objects.all())
    read = _read_terms(words, lexicon)
    corrections = _corrections(
        [(word, term) for word, term, plain in read if plain and len(word) >= MIN_CORRECTED_LENGTH],
        roles=roles,
    )
    corrected = ""
    if corrections:
        words = [corrections.get(word, word) for word in words]
        read = _read_terms(words, lexicon)
        corrected = " ".join(words)
    return RoleSearch(text, tuple(term for _, term, _ in read), corrected)


def search_roles(roles: QuerySet, search: RoleSearch) -> QuerySet:
    """`roles` matching any term of `search`, best first; the order `roles` had
    breaks ties. Builds the query without running one."""
    if search.blank:
        return roles
    if not search.terms:  # only punctuation or stopwords: "' OR 1=1 --"
        return roles.none()
    rank = reduce(operator.add, (_score(term) for term in search.terms))
    ties = roles.query.order_by or Role._meta.ordering
    return (
        roles.annotate(search_rank=rank).filter(search_rank__gt=0).order_by("-search_rank", *ties)
    )


def _pattern(term: Term) -> str:
    """A regular expression for any phrase of `term` at a word start, read alike by
    PostgreSQL (~*) and Python (SQLite's REGEXP). Short words match whole (with a
    plural), so "ml" is not found in "html" or "mlflow"; longer ones as prefixes,
    so "pipeline" finds "pipelines"."""

    def word(stemmed: str) -> str:
        if len(stemmed) <= 3:
            return stemmed + r"(?:s|es)?(?!\w)"
        if stemmed.endswith("y"):
            return stemmed[:-1] + r"(?:y|ie)\w*"
        return stemmed + r"\w*"

    phrases = sorted(r"\W+".join(word(w) for w in phrase) for phrase in term.phrases)
    return r"(?<!\w)(?:" + "|".join(phrases) + ")"


def _places(term: Term) -> dict[str, Q]:
    """Where a role can match `term`: its title, its tags (skills, level), its text."""
    places = {"title": Q(), "tagged": Q(), "text": Q()}
    tags = []
    if term.seniority:
        tags.append(Q(seniority=term.seniority))
    skills = Q(skill_id__in=term.skill_ids) if term.skill_ids else Q()
    if term.phrases:
        pattern = _pattern(term)
        places["title"] = Q(title__iregex=pattern)
        skills |= Q(skill__name__iregex=pattern)
        places["text"] = (
            Q(summary__iregex=pattern)
            | Q(overview__iregex=pattern)
            | Q(Exists(RoleItem.objects.filter(role=OuterRef("pk"), text__iregex=pattern)))
        )
    if skills:
        tags.append(Q(Exists(RoleSkill.objects.filter(skills, role=OuterRef("pk")))))
    places["tagged"] = reduce(operator.or_, tags, Q())
    return {place: condition for place, condition in places.items() if condition}


def _score(term: Term) -> Case:
    weights = {"title": PLACE_TITLE, "tagged": PLACE_TAGGED, "text": PLACE_TEXT}
    return Case(
        *(
            When(condition, then=Value(MATCHED + weights[place]))
            for place, condition in _places(term).items()
        ),
        default=Value(0),
    )


def _mentions(term: Term) -> Q:
    return reduce(operator.or_, _places(term).values())


def _corrections(plain: list[tuple[str, Term]], *, roles: QuerySet) -> dict[str, str]:
    """{word: the vocabulary word it was meant to be} for plain words that match no role."""
    if not plain:
        return {}
    found = roles.aggregate(
        **{f"word_{i}": Count("pk", filter=_mentions(term)) for i, (_, term) in enumerate(plain)}
    )
    unknown = [word for i, (word, _) in enumerate(plain) if not found[f"word_{i}"]]
    if not unknown:
        return {}
    vocabulary = _vocabulary(unknown, roles=roles)
    corrections = {}
    for word in unknown:
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=CORRECTION_CUTOFF)
        if close and close[0] != word:
            corrections[word] = close[0]
    return corrections


def _vocabulary(unknown: list[str], *, roles: QuerySet) -> list[str]:
    """The words `unknown` words may be typos of, in one query: those of skill names,
    role titles and synonyms. PostgreSQL leaves out, with pg_trgm, the entries too
    far from every unknown word; SQLite reads them all, as the library is small."""
    sources = [
        (Skill.objects.all(), "name"),
        (roles.prefetch_related(None), "title"),
        (SearchSynonym.objects.all(), "term"),
        (SearchSynonym.objects.all(), "expansions"),
    ]
    parts = []
    for queryset, column in sources:
        if connections[queryset.db].vendor == "postgresql":
            similarities = [TrigramWordSimilarity(word, column) for word in unknown]
            similarity = similarities[0] if len(similarities) == 1 else Greatest(*similarities)
            queryset = queryset.alias(similarity=similarity).filter(
                similarity__gte=TRIGRAM_CANDIDATE_THRESHOLD
            )
        parts.append(queryset.order_by().values_list(column, flat=True))
    entries = parts[0].union(*parts[1:])
    words = {word for entry in entries for word in words_of(entry)}
    words |= {word for phrase in SENIORITY_WORDS for word in phrase.split()}
    # Sorted, so that equally close words are chosen alike on both databases.
    return sorted(word for word in words if len(word) >= MIN_CORRECTED_LENGTH)
