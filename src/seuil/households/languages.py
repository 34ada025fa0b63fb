"""The languages a person speaks: ISO 639 codes with their French names.

The code is the two-letter ISO 639-1 code when the language has one, else the three-letter
ISO 639-3 code (Soninké ``snk``, langue des signes française ``fsl``…); the exchange format
and the API carry these codes. The list holds the languages met in French social work
(those of the people received in shelters and housing first, those interpreters are asked
for); a language missing from it is added here, with its code from the ISO 639 tables.
"""

from django.db import models


class Language(models.TextChoices):
    FR = "fr", "français"
    FSL = "fsl", "langue des signes française (LSF)"
    AF = "af", "afrikaans"
    SQ = "sq", "albanais"
    DE = "de", "allemand"
    AM = "am", "amharique"
    EN = "en", "anglais"
    AR = "ar", "arabe"
    HY = "hy", "arménien"
    BM = "bm", "bambara"
    BN = "bn", "bengali"
    BS = "bs", "bosniaque"
    BG = "bg", "bulgare"
    ZH = "zh", "chinois"
    HT = "ht", "créole haïtien"
    RCF = "rcf", "créole réunionnais"
    GCF = "gcf", "créole guadeloupéen et martiniquais"
    HR = "hr", "croate"
    PRS = "prs", "dari"
    DYU = "dyu", "dioula"
    ES = "es", "espagnol"
    EWE = "ee", "éwé"
    FA = "fa", "farsi (persan)"
    FF = "ff", "peul"
    KA = "ka", "géorgien"
    EL = "el", "grec"
    HA = "ha", "haoussa"
    HI = "hi", "hindi"
    HU = "hu", "hongrois"
    IG = "ig", "igbo"
    IT = "it", "italien"
    JA = "ja", "japonais"
    KAB = "kab", "kabyle"
    RW = "rw", "kinyarwanda"
    RN = "rn", "kirundi"
    KG = "kg", "kikongo"
    KU = "ku", "kurde"
    LN = "ln", "lingala"
    LT = "lt", "lituanien"
    MK = "mk", "macédonien"
    MG = "mg", "malgache"
    EMK = "emk", "malinké"
    MN = "mn", "mongol"
    MOS = "mos", "mooré"
    NL = "nl", "néerlandais"
    NE = "ne", "népalais"
    OM = "om", "oromo"
    UR = "ur", "ourdou"
    PS = "ps", "pachto"
    PA = "pa", "pendjabi"
    PL = "pl", "polonais"
    PT = "pt", "portugais"
    ROM = "rom", "romani"
    RO = "ro", "roumain"
    RU = "ru", "russe"
    SG = "sg", "sango"
    SR = "sr", "serbe"
    TZM = "tzm", "tamazight (berbère)"
    SNK = "snk", "soninké"
    SO = "so", "somali"
    SU_SUS = "sus", "soussou"
    SW = "sw", "swahili"
    TA = "ta", "tamoul"
    CE = "ce", "tchétchène"
    CS = "cs", "tchèque"
    TH = "th", "thaï"
    TI = "ti", "tigrigna"
    TR = "tr", "turc"
    UK = "uk", "ukrainien"
    VI = "vi", "vietnamien"
    WO = "wo", "wolof"
    YO = "yo", "yoruba"


LANGUAGE_LABELS = dict(Language.choices)


def language_labels(codes):
    """The French names of `codes`, in the list's order (an unknown code as it is)."""
    order = {code: i for i, code in enumerate(LANGUAGE_LABELS)}
    return [LANGUAGE_LABELS.get(c, c) for c in sorted(codes, key=lambda c: order.get(c, 999))]
