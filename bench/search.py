"""Search speed: typical queries over a district of 1,000,000 searchable items, beside the same
queries as a plain ILIKE scan over the same rows, and the index build time.

    make bench BENCH=bench/search.py
    make bench BENCH=bench/search.py BENCH_ARGS="--items 100000"

Works in a database of its own (DATABASE_URL's name, or the embedded default's, with
``_bench_search`` appended), kept between runs (``--fresh`` drops it first). One district per
size. Its index rows (dak, files, documents, cases, RTI applications) are generated like a real
district's: subjects and bodies of Hindi and English words drawn with a Zipf-like frequency from a
vocabulary of some 500 real office words and 12,000 rarer made-up ones (a typical word is in a
small fraction of the rows, a few very common ones in most), one to three people's names in either
script drawn from long lists of given names and surnames, thana names, case, diary, file and RTI
numbers, and the other-script forms the live index keeps. They are written in bulk: COPY into a
staging table, one INSERT … SELECT that computes every vector with the same SQL as the live index
(``core.search.index.DOCUMENT_SQL``) and gives it its glossary tokens (the bulk way,
``core.search.glossary_index.TOKENS_SQL``: the same tokens as the live index's), then the same
indexes as the migrations (an index added since the rows were written is built, and timed, on the
next run). A build stopped part way resumes on the next run: the word dictionary is written if
missing, ``--retokenize`` gives the rows their glossary tokens, missing indexes are built.

Every row also carries the sight keys (``core.search.sight``) of a district shaped like a real
one: an SP office (SP, dak clerk, PIO and other desks), a DSP headquarters, a police line, three
SDPO offices with six thanas each (SHO and sub-inspectors); dak diarised at the SP office's dak
desk and moved on, files opened in a thana, an SDPO office or the SP office and moved up and
across (one to four passages), cases of a thana with a sub-inspector as IO, RTI applications of
the SP office or an SDPO office with the PIO's post, documents of a file.

Prints, for every role (SP, DSP HQ, SDPO, SHO, dak clerk, PIO), a table: per query (typical ones
drawn from the corpus; a very common word apart), the median and p95 server time of
``core.search.query.search`` (capped counts per kind, the best hits of each kind, highlighting
terms, the exact-number check) for that officer, beside a plain ILIKE scan that answers the same
question (counts per kind and 20 rows) over the same rows, with the ratio; then a summary of the
worst p95 of each role with the slowest marked; then the build time of the index (COPY, vectors,
each index, sight keys).

    make bench BENCH=bench/search.py BENCH_ARGS="--items 1000000"   # the issue's size
    make bench BENCH=bench/search.py BENCH_ARGS="--ilike-loads 0"   # the ILIKE times kept before
    make bench BENCH=bench/search.py BENCH_ARGS="--demo --loads 12" # the demo's officers vs the SP
    make bench BENCH=bench/search.py BENCH_ARGS="--against HEAD~3"   # before and after, side by side

``--against REV`` times the search of ``core/search/query.py`` as it was at git revision REV
beside today's, over the same rows, in the same run, alternating the two for every role and query
(the machine's load falls on both alike), and compares their results for every role and query
(counts, capped kinds, the hits in order, the number jump, the highlighted terms): any difference
is printed and the run exits 1. The baseline module is the old file loaded beside today's (it
imports today's other modules of core/search, which keep what it uses).

The sight keys are written with the rows (a database written before they were gets them in one
UPDATE: ~15 minutes at 1,000,000 rows on a busy machine, against seconds in the COPY).
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
BENCH_SUFFIX = "_bench_search"

GIVEN = """
राम:Ram श्याम:Shyam सुनील:Sunil अजय:Ajay राजेश:Rajesh संजय:Sanjay मनोज:Manoj विनोद:Vinod रमेश:Ramesh
सुरेश:Suresh अनिल:Anil दिनेश:Dinesh कमला:Kamla सीता:Sita गीता:Geeta रेखा:Rekha अमित:Amit अभिषेक:Abhishek
आलोक:Alok अरुण:Arun अशोक:Ashok बबलू:Bablu बिनोद:Binod चंदन:Chandan धर्मेंद्र:Dharmendra गणेश:Ganesh
गौतम:Gautam हरि:Hari जितेंद्र:Jitendra कन्हैया:Kanhaiya कृष्ण:Krishna ललन:Lalan महेश:Mahesh मुकेश:Mukesh
नरेश:Naresh नवीन:Naveen नीरज:Neeraj पंकज:Pankaj प्रमोद:Pramod प्रदीप:Pradeep प्रकाश:Prakash राहुल:Rahul
राकेश:Rakesh रंजीत:Ranjeet रवि:Ravi रोहित:Rohit संतोष:Santosh शंभू:Shambhu शिव:Shiv सोनू:Sonu
सुधीर:Sudhir सुमन:Suman सूरज:Suraj उमेश:Umesh उपेंद्र:Upendra विकास:Vikas विजय:Vijay विवेक:Vivek
योगेंद्र:Yogendra अंजली:Anjali अनीता:Anita आरती:Arti बबीता:Babita चांदनी:Chandni देवी:Devi दीपा:Deepa
गुड़िया:Gudiya इंदु:Indu जानकी:Janki कविता:Kavita किरण:Kiran कुसुम:Kusum लक्ष्मी:Lakshmi ममता:Mamta
मीना:Meena नीतू:Neetu निशा:Nisha पूजा:Pooja पूनम:Poonam प्रियंका:Priyanka राधा:Radha रीना:Reena
रिंकी:Rinki सरिता:Sarita शीला:Sheela संगीता:Sangeeta सविता:Savita सुनीता:Sunita उषा:Usha वंदना:Vandana
भोला:Bhola बिरजू:Birju छोटू:Chhotu दीपक:Deepak गोपाल:Gopal गुड्डू:Guddu जगदीश:Jagdish कमलेश:Kamlesh
लालू:Lalu मंटू:Mantu मिथिलेश:Mithilesh मुन्ना:Munna नागेंद्र:Nagendra ओमप्रकाश:Omprakash पप्पू:Pappu
रघुनाथ:Raghunath रामबाबू:Rambabu रामचंद्र:Ramchandra रामेश्वर:Rameshwar रणधीर:Randhir
सत्येंद्र:Satyendra शैलेंद्र:Shailendra श्रवण:Shravan सिकंदर:Sikandar सुभाष:Subhash टुनटुन:Tuntun
उदय:Uday वीरेंद्र:Virendra अखिलेश:Akhilesh बृजेश:Brijesh देवेंद्र:Devendra इंद्रजीत:Indrajeet
जयप्रकाश:Jayprakash कौशल:Kaushal मदन:Madan मोहन:Mohan नंदकिशोर:Nandkishore परमानंद:Parmanand
राजकुमार:Rajkumar रविशंकर:Ravishankar सच्चिदानंद:Sachchidanand शत्रुघ्न:Shatrughan त्रिभुवन:Tribhuvan
विश्वनाथ:Vishwanath मोहम्मद:Mohammad इरफान:Irfan इमरान:Imran सलीम:Salim शकील:Shakeel जावेद:Javed
अनवर:Anwar फिरोज:Firoz नसीम:Naseem रुबीना:Rubina
"""
SURNAMES = """
कुमार:Kumar यादव:Yadav सिंह:Singh पासवान:Paswan प्रसाद:Prasad मिश्र:Mishra राय:Rai साह:Sah महतो:Mahto
पांडेय:Pandey झा:Jha ठाकुर:Thakur चौधरी:Choudhary शर्मा:Sharma वर्मा:Verma गुप्ता:Gupta सिन्हा:Sinha
श्रीवास्तव:Srivastava तिवारी:Tiwari दुबे:Dubey ओझा:Ojha पासी:Pasi मांझी:Manjhi राम:Ram रजक:Rajak
मंडल:Mandal पटेल:Patel चौरसिया:Chaurasia कुशवाहा:Kushwaha निषाद:Nishad सहनी:Sahni बैठा:Baitha दास:Das
पाठक:Pathak उपाध्याय:Upadhyay त्रिपाठी:Tripathi शुक्ल:Shukla अंसारी:Ansari खान:Khan आलम:Alam
हुसैन:Hussain अहमद:Ahmad रविदास:Ravidas भारती:Bharti देवी:Devi कुमारी:Kumari पोद्दार:Poddar केसरी:Kesari
सुमन:Suman आनंद:Anand रंजन:Ranjan किशोर:Kishore भगत:Bhagat चौहान:Chauhan मल्लिक:Mallick तांती:Tanti
"""
PLACES = """
महुआ:Mahua महनार:Mahnar लालगंज:Lalganj हाजीपुर:Hajipur वैशाली:Vaishali राघोपुर:Raghopur बिदुपुर:Bidupur
जंदाहा:Jandaha पातेपुर:Patepur सहदेई:Sahdei गोरौल:Goraul भगवानपुर:Bhagwanpur देसरी:Desri
चेहराकलां:Chehrakalan राजापाकर:Rajapakar पटेढ़ी:Patedhi बेलसर:Belsar सराय:Sarai कटहरा:Kathara
जुड़ावनपुर:Judawanpur बलिगांव:Baligaon गंगाब्रिज:Gangabridge सदर:Sadar औद्योगिक:Audyogik
करताहां:Kartahan तिसिऔता:Tisiauta पौरा:Paura चकौसन:Chakausan शाहपुर:Shahpur काजीपुर:Kajipur अमेर:Amer
मनियारपुर:Maniyarpur बहुआरा:Bahuara फुलहारा:Phulhara दाउदनगर:Daudnagar
"""
HINDI = """
थाना कांड चोरी शिकायत प्राथमिकी अनुसंधान गिरफ्तारी बरामद मोटरसाइकिल जमीन विवाद मारपीट आवेदन सूचना
प्रतिवेदन पर्यवेक्षण न्यायालय आरोप पत्र गवाह बयान घटना स्थल जांच आदेश कार्यालय पुलिस अधीक्षक अनुमंडल
पदाधिकारी बाजार गांव रात दिन मामला संबंध अभियुक्त वादी प्रतिवादी धारा अनुसंधानकर्ता आरक्षी निरीक्षक अवर
दारोगा चौकीदार गश्ती छापेमारी शराब जब्त जब्ती सूची वाहन ट्रक बाइक साइकिल मोबाइल नकद रुपये गहना जेवर सोना
चांदी लूट डकैती हत्या अपहरण दहेज प्रताड़ना महिला बच्चा नाबालिग फरार वारंट कुर्की इश्तहार जमानत रिमांड
हिरासत न्यायिक दंडाधिकारी अभियोजन साक्ष्य मेडिकल पोस्टमार्टम रिपोर्ट चिकित्सक अस्पताल सड़क दुर्घटना
जख्मी मृत्यु लाश पहचान परिजन सूचक बयानकर्ता स्वीकारोक्ति निगरानी सीसीटीवी फुटेज कॉल डिटेल टावर लोकेशन
साइबर ठगी खाता बैंक एटीएम ऑनलाइन धोखाधड़ी फर्जी दस्तावेज जालसाजी हस्ताक्षर मुहर अंचल अधिकारी राजस्व
खतियान रसीद दाखिल खारिज बंटवारा भाई पिता पुत्र पत्नी पति परिवार पड़ोसी ग्रामीण मुखिया सरपंच पंचायत वार्ड
सदस्य प्रखंड जिला राज्य सरकार विभाग निदेशक मुख्यालय पत्रांक दिनांक प्रति सूचनार्थ आवश्यक कार्रवाई हेतु
प्रेषित संलग्न अनुरोध निर्देश अनुपालन समीक्षा बैठक मासिक अपराध नियंत्रण विधि व्यवस्था त्योहार चुनाव
प्रतिनियुक्ति बल दंगा शांति समिति धरना प्रदर्शन जुलूस अनुमति आयुध अनुज्ञप्ति हथियार कारतूस देसी कट्टा
पिस्तौल गोली विस्फोटक बम नक्सल उग्रवादी गिरोह सरगना अपराधी कुख्यात इनामी आत्मसमर्पण मुठभेड़ घायल सुरक्षा
चौकी पिकेट बैरक भवन मरम्मत निर्माण वाहन ईंधन भत्ता वेतन अवकाश स्थानांतरण पदस्थापन प्रोन्नति निलंबन
विभागीय कार्यवाही स्पष्टीकरण आरोप दंड सेवा पुस्तिका पेंशन प्रशिक्षण परेड शस्त्रागार मालखाना जब्ती
प्रदर्श नमूना विधि विज्ञान प्रयोगशाला रासायनिक परीक्षक लंबित निष्पादित आरोपपत्र अंतिम प्रपत्र सत्य असत्य
तथ्य भूल कांडों थानों मामले मामलों गवाहों अभियुक्तों
"""
ENGLISH = """
theft case complaint investigation arrest recovered motorcycle land dispute assault application
information report supervision court charge sheet witness statement incident spot inquiry order office
police superintendent subdivision officer market village night day matter bicycle mobile phone cash
robbery burglary fraud accused complainant section investigating constable inspector sub warrant bail
remand custody judicial magistrate prosecution evidence medical postmortem doctor hospital road accident
injured death body identification family informant confession surveillance cctv footage call detail
tower location cyber cheating account bank atm online forged documents signature seal revenue circle
mutation partition brother father son wife husband neighbour villagers panchayat ward member block
district state government department director headquarters letter dated copy necessary action forwarded
enclosed request direction compliance review meeting monthly crime control law festival election
deployment force riot peace committee protest procession permission arms licence weapon cartridge pistol
bullet explosive bomb naxal gang leader criminal notorious reward surrender encounter security outpost
picket barrack building repair construction vehicle fuel allowance salary leave transfer posting
promotion suspension departmental proceedings explanation penalty service book pension training parade
armoury malkhana seized exhibit sample forensic laboratory chemical examiner pending disposed
chargesheet final true false fact mistake liquor prohibition raid smuggling truck seizure kidnapping
murder dowry harassment woman minor absconding attachment proclamation hearing summons appeal petition
affidavit verification character certificate passport tenant servant missing person dead unnatural
suicide poisoning snakebite drowning fire arson looting dacoity chain snatching pickpocket extortion
threat abuse obscene video viral social media rumour hoax gambling lottery narcotics ganja smack brown
sugar cough syrup tablets cattle buffalo goat tractor pump set transformer wire cable copper
"""

KINDS = ["receipt", "file", "document", "case", "rti"]
SUBJECTS_HI = [
    "{place} थाना कांड संख्या {n}/{year}: {w}",
    "{w} के संबंध में — {place}",
    "{place} बाजार में {w} की शिकायत",
    "{w} एवं {w2} — {place} अनुमंडल",
]
SUBJECTS_EN = [
    "{Place} PS case {n}/{year}: {e}",
    "{e} near {Place} market",
    "{Place} sub-division: monthly review of {e}",
    "Report on {e} and {e2}, {Place}",
]
# (label, query): typical queries drawn from the corpus, and one very common word, reported apart.
QUERIES = [
    ("Hindi word", "जमानत"),
    ("Hindi 2 words", "जमीन विवाद"),
    ("English plural", "robberies"),
    ("English 2 words", "land dispute"),
    ("translit. name", "paswan"),
    ("Hindi full name", "सुनील पासवान"),
    ("Latin full name", "Sunil Paswan"),
    ("typo'd place", "bhagwanpru"),
    ("typo'd name", "Sunel Paswan"),
    ("partial name", "chaura"),
    ("rare word", "विस्फोटक"),
    ("exact number", None),  # one case's own number, from the data
]
COMMON = ("common word", "कांड")
ZIPF = 1.05  # word frequency ~ 1 / rank^ZIPF
SYNTHETIC = 6000  # made-up words per language after the real ones: the long tail of a vocabulary


def _pairs(text: str) -> list[tuple[str, str]]:
    return [tuple(item.split(":")) for item in text.split()]


def _synthetic(rng, letters: list[str], n: int, exclude: set[str]) -> list[str]:
    """``n`` distinct made-up words of 2 to 4 syllables (the rare words of a real vocabulary)."""
    out: list[str] = []
    seen = set(exclude)
    while len(out) < n:
        word = "".join(rng.choice(letters) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


def _vocabulary(rng):
    """Words of each language, most common first: the real ones, then made-up rare ones."""
    consonants = "कखगघचछजझटठडढतथदधनपफबभमयरलवशसह"
    signs = ["", "ा", "ि", "ी", "ु", "ू", "े", "ै", "ो", "ौ", "ं"]
    hindi_real = list(dict.fromkeys(HINDI.split()))
    english_real = list(dict.fromkeys(ENGLISH.split()))
    syllables_hi = [c + s for c in consonants for s in signs]
    syllables_en = [c + v for c in "bcdfghjklmnprstvwyz" for v in ("a", "e", "i", "o", "u", "ar", "en", "or")]
    hindi = hindi_real + _synthetic(rng, syllables_hi, SYNTHETIC, set(hindi_real))
    english = english_real + _synthetic(rng, syllables_en, SYNTHETIC, set(english_real))
    return hindi, english


def _zipf_weights(n: int, s: float = ZIPF) -> list[float]:
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**s
        out.append(total)
    return out


def _rows(count: int, seed: int = 7):
    """Generated index rows (without vectors), in the staging table's column order: subjects and
    bodies of Zipf-distributed Hindi and English words, one to three people's names in either
    script (given names and surnames drawn Zipf-like from long lists), thana names, numbers, and
    the other-script forms the live index keeps (``core.search.builders``)."""
    import datetime

    from core.search.script import devanagari_in_latin, other_script

    rng = random.Random(seed)
    hindi, english = _vocabulary(rng)
    given, surnames, places = _pairs(GIVEN), _pairs(SURNAMES), _pairs(PLACES)
    cum = {
        "hi": _zipf_weights(len(hindi)),
        "en": _zipf_weights(len(english)),
        "given": _zipf_weights(len(given), 0.8),
        "surname": _zipf_weights(len(surnames), 0.9),
        "place": _zipf_weights(len(places), 0.7),
    }
    pools = {"hi": hindi, "en": english, "given": given, "surname": surnames, "place": places}
    buffers: dict[str, list] = {key: [] for key in pools}

    def draw(key: str):
        buffer = buffers[key]
        if not buffer:
            buffer.extend(rng.choices(pools[key], cum_weights=cum[key], k=50_000))
        return buffer.pop()

    other_cache: dict[str, str] = {}
    body_cache: dict[str, str] = {}

    def other(word: str) -> str:  # a title's or name's word in the other script (both ways)
        if word not in other_cache:
            other_cache[word] = other_script(word)
        return other_cache[word]

    def body_other(word: str) -> str:  # a body's Devanagari word in Latin
        if word not in body_cache:
            body_cache[word] = devanagari_in_latin(word)
        return body_cache[word]

    start = datetime.date(2015, 1, 1)
    for i in range(1, count + 1):
        kind = KINDS[i % 5]
        hi, en = draw("place")
        year = 2015 + i % 11
        serial = i // 5 + 1
        n = serial % 999 + 1
        words_hi = " ".join(draw("hi") for _ in range(rng.randint(1, 3)))
        words_en = " ".join(draw("en") for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.55:
            subject = rng.choice(SUBJECTS_HI).format(place=hi, w=words_hi, w2=draw("hi"), n=n, year=year)
        else:
            subject = rng.choice(SUBJECTS_EN).format(Place=en, e=words_en, e2=draw("en"), n=n, year=year)
        names = []
        for _ in range(rng.randint(1, 3)):
            (g_hi, g_en), (s_hi, s_en) = draw("given"), draw("surname")
            names.append(f"{g_hi} {s_hi}" if rng.random() < 0.65 else f"{g_en} {s_en}")
        body_words = [draw("hi") if rng.random() < 0.55 else draw("en") for _ in range(rng.randint(8, 40))]
        identifiers = {
            "receipt": f"SPB/{year}/{serial:06d}",
            "file": f"SPB/GEN/{year}/{serial:05d}",
            "document": "",
            "case": f"{n}/{year}\n{en.upper()}/{n}/{year}\nPS{i:07d}/{year}",
            "rti": f"RTI/SPB/{year}/{serial:05d}",
        }[kind]
        title_words = re.findall(r"[\w\u0900-\u097F]+", subject + " " + " ".join(names))
        forms = [other(w) for w in title_words if not w.isdigit()]
        forms += [body_other(w) for w in body_words if "\u0900" <= w[0] <= "\u097f"]
        yield (
            kind, i, None, start + datetime.timedelta(days=i % 3900), "open", identifiers, subject,
            " ".join(body_words), "\n".join(names), " ".join(dict.fromkeys(f for f in forms if f)),
        )  # fmt: skip


def _indexes() -> list[tuple[str, str]]:
    """(name, CREATE statement) of every index the search uses: the model's GIN over the vector,
    the exact identifiers' of core.0013, the dictionary's trigram index (core.0015) and each kind's
    words and sight keys (core.0018, which replaced the per-kind vector indexes of core.0013 and
    core.0014, as core.0015 replaced their trigram indexes over rows): the same statements, so the
    figures are the live ones."""
    import importlib

    def migration(name):
        return importlib.reload(importlib.import_module(f"core.migrations.{name}"))

    doc = "CREATE INDEX IF NOT EXISTS core_searchentry_doc ON core_searchentry USING gin (document)"
    kinds = [*migration("0013_search_indexes").INDEXES, *migration("0014_search_people").INDEXES]
    seen = migration("0018_search_seen_words")
    replaced = {name for name, _sql in seen.REPLACED}
    return [
        ("core_searchentry_doc", doc),
        *((name, sql) for name, sql in kinds if "gin_trgm_ops" not in sql and name not in replaced),
        migration("0015_search_words").WORD_INDEX,
        *seen.INDEXES,
    ]


def _ensure_indexes(cursor) -> dict[str, float]:
    """Create the search's indexes that are missing; returns the seconds each took."""
    steps = {}
    for name, sql in _indexes():
        cursor.execute(
            "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = %s", [name]
        )
        if cursor.fetchone():
            continue
        t = time.monotonic()
        cursor.execute(sql)
        steps[f"index {name}"] = time.monotonic() - t
    return steps


def _fill(count: int) -> dict[str, float]:
    """Write ``count`` rows; returns the seconds of each build step."""
    from django.db import connection

    from core.search.glossary_index import glossary_refresh, tokens_sql
    from core.search.index import DOCUMENT_SQL, WORDS_SQL, hindi_config

    steps = {}
    with connection.cursor() as cursor:
        t = time.monotonic()
        cursor.execute("DROP INDEX IF EXISTS " + ", ".join(name for name, _sql in _indexes()))
        cursor.execute(
            'CREATE UNLOGGED TABLE bench_stage (kind text, object_id bigint, office_id bigint, "on" date, '
            "status text, identifiers text, title text, body text, names text, other_script text, "
            "sight_keys text[])"
        )
        columns = 'kind, object_id, office_id, "on", status, identifiers, title, body, names, other_script'
        sight = random.Random(11)  # the rows' sight keys, as _write_sight draws them
        with cursor.cursor.copy(f"COPY bench_stage ({columns}, sight_keys) FROM STDIN") as copy:
            for row in _rows(count):
                copy.write_row((*row, _sight(row[0], row[1], sight)))
        steps["generate + COPY"] = time.monotonic() - t
        t = time.monotonic()
        glossary_refresh(rows=False)  # the terms' definitions, for the rows' tokens
        # Each row's vector computed once, then given its glossary tokens, as the live index
        # writes them (core.search.index._write_documents).
        cursor.execute("SET enable_mergejoin = off; SET work_mem = '256MB'")  # tokens_plan's, for the session
        cursor.execute(
            f"WITH x AS MATERIALIZED (SELECT row_number() OVER () AS id, {columns}, "  # noqa: S608
            f"{DOCUMENT_SQL} AS document, sight_keys FROM bench_stage), "
            f"t AS ({tokens_sql('SELECT id, document FROM x')}) "
            f"INSERT INTO core_searchentry ({columns}, document, updated_at, sight_keys) "
            f"SELECT {columns}, x.document || COALESCE(t.tokens, ''::tsvector), now(), sight_keys "
            "FROM x LEFT JOIN t ON t.id = x.id ORDER BY x.id",
            {"hindi": hindi_config()},
        )
        cursor.execute("RESET enable_mergejoin; RESET work_mem")
        cursor.execute("DROP TABLE bench_stage")
        steps["vectors and glossary tokens (INSERT … SELECT)"] = time.monotonic() - t
        t = time.monotonic()
        cursor.execute("DELETE FROM core_searchword")
        cursor.execute(WORDS_SQL.format(where="TRUE"))
        steps["word dictionary"] = time.monotonic() - t
        steps.update(_ensure_indexes(cursor))
        t = time.monotonic()
        cursor.execute("VACUUM ANALYZE core_searchentry")
        steps["VACUUM ANALYZE"] = time.monotonic() - t
    return steps


# The bench district's sight (see the module's docstring): office ids, post ids and who holds what.
SP_OFFICE, DSP_HQ, POLICE_LINE = 1, 2, 3
SDPOS = [10, 11, 12]
THANAS = {sdpo: [100 + 10 * k + t for t in range(6)] for k, sdpo in enumerate(SDPOS)}
SP_POST, CLERK_POST, PIO_POST, DSP_POST, LINE_POST = 1, 2, 3, 4, 5
SP_DESKS = [6, 7, 8, 9]  # other desks of the SP office (reader, accounts …)


def _sdpo_post(sdpo: int) -> int:
    return 1000 + sdpo


def _sho_post(thana: int) -> int:
    return 2000 + thana


def _si_posts(thana: int) -> list[int]:
    return [3000 + 10 * thana + k for k in range(3)]


def _sight(kind: str, i: int, rng) -> list[str]:
    """The sight keys of generated row ``i`` of ``kind``, as ``core.search.sight`` writes them."""
    sdpo = SDPOS[i % 3]
    thana = THANAS[sdpo][(i // 3) % 6]
    keys: set[str] = set()

    def passed(post: int, office: int) -> None:
        keys.update((f"p{post}", f"o{office}"))

    if kind == "case":
        keys.update((f"o{thana}", f"m{thana}", f"p{rng.choice(_si_posts(thana))}"))
    elif kind == "rti":
        office = SP_OFFICE if rng.random() < 0.7 else sdpo
        keys.update((f"o{office}", f"r{office}", f"p{PIO_POST}"))
        if rng.random() < 0.3:
            keys.add(f"p{rng.choice([_sho_post(thana), _sdpo_post(sdpo), DSP_POST])}")
    else:
        # Dak: diarised at the SP office's dak desk, then marked on; files: opened in a thana, an
        # SDPO office or the SP office (the file's office), then moved up and across.
        start = rng.random()
        if kind == "receipt" or start < 0.3:
            route = [(CLERK_POST, SP_OFFICE)]
        elif start < 0.7:
            route = [(rng.choice(_si_posts(thana)), thana)]
        else:
            route = [(_sdpo_post(sdpo), sdpo)]
        candidates = [
            (_sho_post(thana), thana),
            (_sdpo_post(sdpo), sdpo),
            (rng.choice(SP_DESKS), SP_OFFICE),
            (DSP_POST, DSP_HQ),
            (SP_POST, SP_OFFICE),
            (LINE_POST, POLICE_LINE),
        ]
        for _ in range(rng.randint(0, 3)):
            route.append(rng.choice(candidates))
        keys.add(f"o{route[0][1]}")  # the item's office
        for post, office in route:
            passed(post, office)
    return sorted(keys)


def _write_glossary(*, force: bool = False) -> float | None:
    """Give the rows of a database written before the glossary's tokens (or with other
    definitions; or any, with ``force``) the tokens of today's (``core.search.glossary_index``);
    seconds, or None when the definitions are current. The same matches as ``glossary_refresh``,
    written the bulk way: every index dropped, one UPDATE (each row's old tokens out, today's in:
    ``tokens_sql``), the indexes built again."""
    from django.db import connection

    from core.search.glossary_index import glossary_definitions, glossary_refresh, tokens_sql

    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM core_searchglossary")
        held = sorted(row[0] for row in cursor.fetchall())
        if not force and set(held) == set(glossary_definitions()):
            return None
        t = time.monotonic()
        glossary_refresh(rows=False)
        cursor.execute("DROP INDEX IF EXISTS " + ", ".join(n for n, _sql in _indexes()))
        cursor.execute("SET enable_mergejoin = off; SET work_mem = '256MB'")  # tokens_plan's; in memory
        cursor.execute(
            "UPDATE core_searchentry e SET document = ts_delete(e.document, %s::text[]) || h.tokens "  # noqa: S608
            f"FROM ({tokens_sql('SELECT id, document FROM core_searchentry')}) h WHERE e.id = h.id",
            [held],
        )
        if held:  # the rows that match no term today
            cursor.execute(
                "UPDATE core_searchentry SET document = ts_delete(document, %(held)s::text[]) "
                "WHERE tsvector_to_array(document) && %(held)s::text[]",
                {"held": held},
            )
        cursor.execute("RESET enable_mergejoin; RESET work_mem")
        _ensure_indexes(cursor)
        cursor.execute("VACUUM ANALYZE core_searchentry")
    return time.monotonic() - t


def _write_words() -> float:
    """Write the word dictionary of the rows (``_fill``'s step, for a build stopped before it)."""
    from django.db import connection

    from core.search.index import WORDS_SQL

    t = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(WORDS_SQL.format(where="TRUE"))
    return time.monotonic() - t


def _write_sight() -> float:
    """Write the sight keys of every row of a database written before ``_fill`` wrote them (COPY
    into a staging table, one UPDATE; the same keys); returns seconds."""
    from django.db import connection

    t = time.monotonic()
    rng = random.Random(11)
    with connection.cursor() as cursor:
        cursor.execute("CREATE UNLOGGED TABLE bench_sight (id bigint, keys text[])")
        cursor.execute("SELECT id, kind, object_id FROM core_searchentry ORDER BY id")
        rows = cursor.fetchall()
        with cursor.cursor.copy("COPY bench_sight (id, keys) FROM STDIN") as copy:
            for pk, kind, object_id in rows:
                copy.write_row((pk, _sight(kind, object_id, rng)))
        cursor.execute(
            "UPDATE core_searchentry e SET sight_keys = s.keys FROM bench_sight s WHERE s.id = e.id"
        )
        cursor.execute("DROP TABLE bench_sight")
        cursor.execute("VACUUM ANALYZE core_searchentry")
    return time.monotonic() - t


def _roles():
    """(role, viewer, keys) of each role timed: the viewer as ``core.base.access.viewer_for``
    makes it, and its sight keys as ``core.search.sight.viewer_keys`` would."""
    from core.base.access import Viewer

    sdpo, thana = SDPOS[0], THANAS[SDPOS[0]][0]
    sdpo_scope = frozenset([sdpo, *THANAS[sdpo]])

    def viewer(pk, posts, scope=(), office=None, **extra):
        posts, scope = frozenset(posts), frozenset(scope)
        supervising = ((min(posts), scope),) if scope else ()
        keys = {"*", *(f"p{p}" for p in posts), *(f"o{o}" for o in scope)}
        if office is not None:
            keys.update((f"m{office}", f"r{office}"))
        made = Viewer(person_id=pk, post_ids=posts, scope_office_ids=scope, supervising=supervising, **extra)
        return made, sorted(keys)

    sp, _keys = viewer(1, [SP_POST], office=SP_OFFICE, district_wide=True, district_post_id=SP_POST)
    return [
        ("SP", sp, None),
        ("DSP HQ", *viewer(4, [DSP_POST], [DSP_HQ], office=DSP_HQ)),
        ("SDPO", *viewer(5, [_sdpo_post(sdpo)], sdpo_scope, office=sdpo)),
        ("SHO", *viewer(6, [_sho_post(thana)], [thana], office=thana)),
        ("dak clerk", *viewer(2, [CLERK_POST], office=SP_OFFICE)),
        ("PIO", *viewer(3, [PIO_POST], office=SP_OFFICE)),
    ]


def _ilike(q: str) -> None:
    """The same question as a plain scan: counts per kind and 20 rows, by ILIKE on every text."""
    from django.db import connection

    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    where = "(title ILIKE %s OR body ILIKE %s OR names ILIKE %s OR identifiers ILIKE %s)"
    counts = f"SELECT kind, count(*) FROM core_searchentry WHERE {where} GROUP BY kind"  # noqa: S608
    rows = f'SELECT id, title FROM core_searchentry WHERE {where} ORDER BY "on" DESC LIMIT 20'  # noqa: S608
    with connection.cursor() as cursor:
        for sql in (counts, rows):
            cursor.execute(sql, [pattern] * 4)
            cursor.fetchall()


def _ilike_times(queries: list[str], loads: int) -> dict[str, list[float]]:
    """{query: seconds of each ILIKE scan}: ``loads`` runs of each, kept in the district's
    ``bench_ilike`` table; with ``loads`` 0, the times kept there by an earlier run (the same rows:
    the baseline does not change with the search's code, and a scan of 1,000,000 rows takes ~15 s)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_ilike (q text PRIMARY KEY, seconds float8[])")
        if not loads:
            cursor.execute("SELECT q, seconds FROM bench_ilike WHERE q = ANY(%s)", [queries])
            return dict(cursor.fetchall())
        times = {q: _time(lambda q=q: _ilike(q), loads, warm=False) for q in queries}  # full scans
        for q, seconds in times.items():
            cursor.execute(
                "INSERT INTO bench_ilike (q, seconds) VALUES (%s, %s) "
                "ON CONFLICT (q) DO UPDATE SET seconds = excluded.seconds",
                [q, seconds],
            )
    return times


def _time(fn, loads: int, *, warm: bool = True) -> list[float]:
    if warm:
        fn()
    out = []
    for _ in range(loads):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


# The demo's officers of each role (``state_admin.demo``) and the queries, then the table's.
DEMO_ROLES = [
    ("SP", "sp.vaishali"),
    ("DSP HQ", "dsphq.vaishali"),
    ("SDPO", "sdpo.lalganj"),
    ("SDPO", "sdpo.mahua"),
    ("SHO", "sho.mahua"),
    ("dak clerk", "clerk.vaishali"),
    ("PIO", "pio.vaishali"),
]
DEMO_QUERIES = ["mahua", "महुआ", "mahau", "rollout", *(q for _label, q in QUERIES if q)]


def _baseline(rev: str):
    """``core.search.query`` as it was at git revision ``rev``, loaded as a module of its own."""
    import importlib.util
    import subprocess

    root = Path(__file__).resolve().parents[1]
    source = subprocess.run(
        ["git", "show", f"{rev}:core/search/query.py"], cwd=root, check=True, capture_output=True, text=True
    ).stdout
    spec = importlib.util.spec_from_loader("core.search.query_baseline", loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__file__ = str(root / "core" / "search" / "query.py")
    sys.modules[spec.name] = module
    exec(compile(source, f"{rev}:core/search/query.py", "exec"), module.__dict__)  # noqa: S102 (our own file)
    return module


def _signature(results) -> tuple:
    """What a user sees of a search: each kind's count, cap and hits in order, the jump, the terms."""
    groups = tuple((g.kind, g.count, g.capped, tuple(hit.pk for hit in g.hits)) for g in results.groups)
    return groups, results.jump.pk if results.jump else None, tuple(results.terms)


def _time_pair(new, old, loads: int) -> tuple[list[float], list[float]]:
    """``loads`` runs of each, alternating (new, old, new, old …), after one warm run of each."""
    new(), old()
    a, b = [], []
    for _ in range(loads):
        for fn, out in ((new, a), (old, b)):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    return a, b


def _demo(loads: int, against: str | None = None) -> int:
    """The demo district (``seed_demo``, a few dozen records, its real officers and their real
    sight): per query, each officer's median and p95 server time of the search beside the SP's,
    and each officer's worst ratio to the SP (the issue asks for at most 3x). The runs go round
    the officers and queries (one run of each, then the next), so a change in the machine's load
    falls on every officer alike; with ``against``, the baseline's search (``_baseline``) takes
    its turn beside today's in every round, and both tables are printed."""
    import logging

    from django.core.management import call_command
    from django.db import connection

    import core.search.query as query_module
    from core.base.access import viewer_for
    from core.search.index import search_index_rebuild
    from tenants.context import district_context
    from tenants.models import User

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # the demo's PDFs: one line per glyph
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 (safe to run again)
    searches = [("today", query_module.search)]
    if against:
        searches.append((against, _baseline(against).search))
    differ = []
    with district_context("vaishali"):
        rows = search_index_rebuild()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_searchentry")
        rows = ", ".join(f"{count} {kind}" for kind, count in rows.items() if kind != "seconds")
        print(f"demo district Vaishali: {rows}; {loads} runs per query; server time of the search")
        print(f"load average at the start: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f}", flush=True)
        viewers = {login: viewer_for(User.objects.get(login_id=login)) for _role, login in DEMO_ROLES}
        times = {(name, login): {q: [] for q in DEMO_QUERIES} for name, _fn in searches for login in viewers}
        for login, viewer in viewers.items():  # warm, and the results compared
            for q in DEMO_QUERIES:
                found = [_signature(fn(viewer, q)) for _name, fn in searches]
                if any(other != found[0] for other in found[1:]):
                    differ.append((login, q))
        for _ in range(loads):
            for login, viewer in viewers.items():
                for name, fn in searches:
                    for q in DEMO_QUERIES:
                        t = time.perf_counter()
                        fn(viewer, q)
                        times[name, login][q].append(time.perf_counter() - t)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f}")
    logins = list(viewers)
    for name, _fn in searches:
        sp = times[name, "sp.vaishali"]
        print(f"\n== {name} == median (p95) in ms; the ratio is the officer's median to the SP's")
        print(f"{'query':<14} " + " ".join(f"{login:>22}" for login in logins))
        worst = dict.fromkeys(logins, 0.0)
        for q in DEMO_QUERIES:
            cells = []
            for login in logins:
                a = times[name, login][q]
                ratio = statistics.median(a) / statistics.median(sp[q])
                worst[login] = max(worst[login], ratio)
                cells.append(f"{statistics.median(a) * 1000:6.1f} ({_p95(a) * 1000:6.1f}) {ratio:4.1f}x")
            print(f"{q[:14]:<14} " + " ".join(f"{cell:>22}" for cell in cells))
        print(f"{'worst vs SP':<14} " + " ".join(f"{worst[login]:>21.2f}x" for login in logins))
        login = max(worst, key=worst.get)
        print(f"WORST VS SP ({name}): {login}, median {worst[login]:.2f}x the SP's on a query (target <= 3x)")
    if against:
        pairs = len(logins) * len(DEMO_QUERIES)
        print(f"\nresults identical to {against}'s: {pairs - len(differ)} of {pairs} officer x query pairs")
        for login, q in differ:
            print(f"  DIFFERENT: {login}, {q!r}")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--loads", type=int, default=20, help="runs to time per query (default 20)")
    parser.add_argument(
        "--ilike-loads",
        type=int,
        default=3,
        help="runs of the ILIKE scan (default 3; 0: the times kept from an earlier run of these rows)",
    )
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark's database first")
    parser.add_argument(
        "--demo", action="store_true", help="time the demo district's officers instead (seed_demo)"
    )
    parser.add_argument(
        "--no-glossary",
        dest="glossary",
        action="store_false",
        help="leave a kept database's glossary tokens as they are (a baseline of rows without them)",
    )
    parser.add_argument(
        "--retokenize",
        action="store_true",
        help="give a kept database's rows today's glossary tokens again (even where definitions are current)",
    )
    parser.add_argument(
        "--against",
        metavar="REV",
        help="also time core/search/query.py of git revision REV, alternating, and compare results",
    )
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _db import bench_database

    if args.demo:
        bench_database(BENCH_SUFFIX + "_demo", fresh=args.fresh)
        return _demo(args.loads, args.against)
    bench_database(BENCH_SUFFIX, fresh=args.fresh)
    from django.db import connection

    from core.models.search import SearchEntry, SearchWord
    from tenants.context import district_context
    from tenants.models import District

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from efile import _district

    district, _made = _district(f"bench-search-{args.items}")
    from django.core.management import call_command

    # A district kept from an earlier run gets the migrations added since (core.0015 writes the
    # word dictionary of the rows already there).
    with connection.cursor() as cursor:  # the migrations' and the build's indexes, in memory
        cursor.execute("SET maintenance_work_mem = '512MB'")
    call_command("migrate_schemas", schema_name=district.schema_name, interactive=False, verbosity=0)
    with district_context(district.schema_name):
        steps = None
        if not SearchEntry.objects.exists():
            print(f"writing {args.items:,} index rows …", flush=True)
            steps = _fill(args.items)
        if not SearchWord.objects.exists():  # a build stopped before its word dictionary
            print("writing the word dictionary …", flush=True)
            steps = {**(steps or {}), "word dictionary": _write_words()}
        if args.glossary:  # before the indexes: a retokenizing drops them and builds them again
            print("the glossary's tokens …", flush=True)
            seconds = _write_glossary(force=args.retokenize)
            if seconds is not None:
                steps = {**(steps or {}), "glossary tokens": seconds}
        with connection.cursor() as cursor:
            added = _ensure_indexes(cursor)  # indexes added since the rows were written
            if added:
                cursor.execute("ANALYZE core_searchentry")
                steps = {**(steps or {}), **added}
        if not SearchEntry.objects.exclude(sight_keys=[]).exists():
            print("writing the sight keys …", flush=True)
            steps = {**(steps or {}), "sight keys": _write_sight()}
        # Imported once the rows are written: a long build runs the query code of its end.
        import core.search.query as query_module
        from core.search.query import search

        roles = _roles()
        keys_of = {viewer: keys for _role, viewer, keys in roles if keys is not None}
        query_module.viewer_keys = keys_of.__getitem__  # the bench's viewers hold no real posts
        baseline = _baseline(args.against) if args.against else None
        if baseline is not None:
            baseline.viewer_keys = keys_of.__getitem__

        total = SearchEntry.objects.count()
        case = SearchEntry.objects.filter(kind="case").order_by("id")[total // 10 : total // 10 + 1].get()
        number = case.identifiers.split("\n")[2]  # "PS0012345/2024": one record's own number
        queries = [(label, q or number) for label, q in QUERIES]
        districts = District.objects.count()
        print(
            f"PostgreSQL {connection.pg_version // 10000}; {total:,} index rows in {districts} district(s); "
            f"{args.loads} runs per query; server time of core.search.query.search for each role"
            + (f", beside {args.against}'s (alternating)" if baseline else ""),
            flush=True,
        )
        print(f"load average at the start: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f}", flush=True)
        ilike = _ilike_times([q for _label, q in [*queries, COMMON]], args.ilike_loads)
        columns = ("hits", "median", "p95")
        columns += ("base med", "base p95") if baseline else ()
        columns += ("ILIKE med", "ILIKE p95", "ratio")
        summary, differ = [], []
        for role, viewer, _keys in roles:
            print(f"\n== {role} ==")
            print(f"{'query':<16} {'q':<16} " + " ".join(f"{c:>9}" for c in columns))
            worst = worst_median = base_worst = 0.0
            for label, q in [*queries, COMMON]:
                results = search(viewer, q)
                new = lambda q=q, viewer=viewer: search(viewer, q)  # noqa: E731
                if baseline is not None:
                    if _signature(baseline.search(viewer, q)) != _signature(results):
                        differ.append((role, q))
                    old = lambda q=q, viewer=viewer: baseline.search(viewer, q)  # noqa: E731
                    a, base = _time_pair(new, old, args.loads)
                else:
                    a, base = _time(new, args.loads), None
                b = ilike.get(q) or [float("nan")]
                if (label, q) != COMMON:
                    worst = max(worst, _p95(a))
                    worst_median = max(worst_median, statistics.median(a))
                    base_worst = max(base_worst, _p95(base)) if base else 0.0
                shown = f"{results.total:,}" + ("+" if getattr(results, "capped", False) else "")
                cells = f"{statistics.median(a) * 1000:7.1f}ms {_p95(a) * 1000:7.1f}ms "
                if base:
                    cells += f"{statistics.median(base) * 1000:7.1f}ms {_p95(base) * 1000:7.1f}ms "
                print(
                    f"{label:<16} {q[:16]:<16} {shown:>9} {cells}"
                    f"{statistics.median(b) * 1000:8.1f}ms {_p95(b) * 1000:8.1f}ms "
                    f"{statistics.median(b) / statistics.median(a):6.1f}x",
                    flush=True,
                )
            print(f"worst p95 of the typical queries ({role}) {worst * 1000:.1f} ms (target < 100 ms)")
            summary.append((role, worst_median, worst, base_worst))
        slowest = max(summary, key=lambda row: row[2])
        sp_p95 = summary[0][2]
        print("\nrole          worst median  worst p95  vs SP" + ("   base p95" if baseline else ""))
        for role, median, p95, base_p95 in summary:
            mark = "  <== slowest" if role == slowest[0] else ""
            base = f" {base_p95 * 1000:8.1f}ms" if baseline else ""
            print(f"{role:<12} {median * 1000:10.1f}ms {p95 * 1000:8.1f}ms {p95 / sp_p95:6.2f}x{base}{mark}")
        print(f"SLOWEST ROLE: {slowest[0]}, worst p95 {slowest[2] * 1000:.1f} ms (target < 100 ms)")
        print(f"load average at the end: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f}")
        if baseline is not None:
            pairs = len(roles) * (len(queries) + 1)
            same = pairs - len(differ)
            print(f"results identical to {args.against}'s: {same} of {pairs} role x query pairs")
            for role, q in differ:
                print(f"  DIFFERENT: {role}, {q!r}")
        if steps:
            print("index build: " + ", ".join(f"{name} {s:.1f} s" for name, s in steps.items())
                  + f"; total {sum(steps.values()):.1f} s")  # fmt: skip
    return 1 if args.against and differ else 0


if __name__ == "__main__":
    sys.exit(main())
