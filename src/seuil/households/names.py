"""How Seuil compares persons' names: one home for the rules that the search, the household
list and the likely-duplicate warnings share.

- `fold`: lower case, no accents or ligatures, straight apostrophes;
- `name_words`: the words of a name or of a query, folded, with apostrophes and hyphens
  removed (« N'Diaye » → « ndiaye », « Jean-Pierre » → « jeanpierre ») and any other sign a
  space;
- `search_name(first, last)`: the value of `Person.search_name`, the normalised column the
  search reads (kept up to date on every save, indexed by trigrams on PostgreSQL);
- `word_score`, `names_score`: does a query word match a name word, and how well (exact,
  prefix, inside, close spelling), the first and last names in any order;
- `same_name`, `similar_names`: the comparisons of the likely-duplicate warnings.

Close spellings are measured by trigrams, as PostgreSQL's `pg_trgm` does: the share of the
three-letter sequences of two words (padded with two spaces before, one after) they have in
common. On PostgreSQL, `pg_trgm`'s `<%` operator with the same threshold finds at least the
persons this rule keeps (its word similarity of a word against a whole name is never lower
than against the name's closest word), and the rule then ranks them, as on SQLite.
"""

import functools
import re
import unicodedata

APOSTROPHES = "'’‘`´ʼ"
# A query word this close to a name word (trigram similarity) is a close spelling:
# « dupond » for « Dupont », « mohammed » for « Mohamed », « lefevre » for « Lefebvre ».
CLOSE_SPELLING = 0.35
# Two names whose words are this close, the same birth date apart, are likely one person.
SIMILAR_NAME = 0.45
# Query words shorter than this match only the beginning of a name word (« Li » finds
# « Lina », not « Amélie », nor « La »).
INSIDE_MIN_LENGTH = 3

EXACT, PREFIX, INSIDE = 4.0, 3.0, 2.0

_NOT_A_LETTER = re.compile(r"[^a-z0-9]+")


def fold(text):
    """Lower-case `text` without accents or ligatures, with straight apostrophes."""
    text = (text or "").lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    for variant in APOSTROPHES[1:]:
        text = text.replace(variant, "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_words(text):
    """The folded words of `text`: apostrophes and hyphens joined, any other sign a space."""
    folded = fold(text).replace("'", "").replace("-", "").replace("‐", "")
    return [word for word in _NOT_A_LETTER.split(folded) if word]


def search_name(first_name, last_name):
    """`Person.search_name`: the folded words of the last name, then the first name."""
    return " ".join([*name_words(last_name), *name_words(first_name)])


@functools.lru_cache(maxsize=65536)
def trigrams(word):
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(a, b):
    """Trigram similarity of two words, from 0 (nothing in common) to 1 (the same)."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb)


def word_score(query_word, name_word):
    """How well `query_word` matches `name_word`: 4 the same, 3 its beginning, 2 inside it,
    between 1 and 2 a close spelling; 0 no match."""
    if name_word == query_word:
        return EXACT
    if name_word.startswith(query_word):
        return PREFIX
    if len(query_word) >= INSIDE_MIN_LENGTH and query_word in name_word:
        return INSIDE
    if len(query_word) < INSIDE_MIN_LENGTH:
        return 0.0
    close = similarity(query_word, name_word)
    return 1.0 + close if close >= CLOSE_SPELLING else 0.0


def names_score(query_words, words):
    """The score of a name (its `words`) for a query: each query word matched by one of the
    name's words, in any order (0 when one is not), the sum of the best matches."""
    total = 0.0
    for query_word in query_words:
        best = max((word_score(query_word, word) for word in words), default=0.0)
        if not best:
            return 0.0
        total += best
    return total


def same_name(a, b):
    """The same words, in any order (« Marie DUPONT » and « Dupont Marie »)."""
    return bool(a) and sorted(a) == sorted(b)


def similar_names(a, b):
    """Every word of the shorter name is the same as, the beginning of, or close to
    (`SIMILAR_NAME`) a word of the other: « Dupond Marie » and « Marie Dupont »,
    « Aïcha N'Diaye » and « Aicha Ndiaye »."""
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    return all(
        any(w == x or x.startswith(w) or similarity(w, x) >= SIMILAR_NAME for x in longer)
        for w in shorter
    )
