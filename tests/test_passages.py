"""Passages of a paper of questions and answers, in the shapes converters write it: a question and its
answer are one passage, and the next question starts the next one."""
import pytest

from conftest import CORPUS
from pipeline.extract import extract
from pipeline.passages import make_passages
from pipeline.voice import kamer_turns

HEAD = ("Tweede Kamer der Staten-Generaal\n\nAanhangsel van de Handelingen\n\n"
        "Vragen van het lid Veenstra (CDA) aan de Minister van Infrastructuur en Waterstaat over de "
        "verzilting van polders (ingezonden 3 maart 2025).\n\n"
        "Antwoord van Minister Dijkhuizen (Infrastructuur en Waterstaat) (ontvangen 2 april 2025).")
PAIRS = [("Hoeveel innamepunten voor drinkwater lagen vorige zomer langer dan een week stil door zout water?",
          "Vier innamepunten langs de Lek lagen samen 23 dagen stil. Drinkwaterbedrijven konden leveren dankzij hun voorraden."),
         ("Welke maatregelen neemt u om de zoetwateraanvoer naar het westen zeker te stellen?",
          "De capaciteit van de Kleinschalige Wateraanvoer wordt in 2026 verdubbeld. Daarnaast onderzoeken wij een extra inlaat bij Gouda."),
         ("Bent u bereid de Kamer te informeren over de uitkomsten van dat onderzoek?",
          "Ja. Ik informeer uw Kamer voor de zomer over de uitkomsten.")]


def paper(shape: str, pairs: list[tuple[str, str]] = PAIRS) -> str:
    if shape == "headings":  # a word processor's text: "Vraag 1" and "Antwoord 1" on lines of their own
        body = "\n\n".join(f"Vraag {i}\n\n{q}\n\nAntwoord {i}\n\n{a}" for i, (q, a) in enumerate(pairs, 1))
    elif shape == "inline":  # officielebekendmakingen PDFs: the label opens the paragraph
        body = "\n\n".join(f"Vraag {i} {q}\n\nAntwoord {i} {a}" for i, (q, a) in enumerate(pairs, 1))
    elif shape == "one-line":  # a converter that lost the paragraph breaks: one line per page
        body = " ".join(f"Vraag {i} {q} Antwoord {i} {a}" for i, (q, a) in enumerate(pairs, 1))
    else:  # the page's running footer glued to the answer's label: "Aanhangsel 2Antwoord 2"
        body = "\n\n".join(f"Vraag {i}\n\n{q}\n\n" + (f"Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel {i}" if i > 1 else "")
                           + f"Antwoord {i}\n\n{a}" for i, (q, a) in enumerate(pairs, 1))
    return f"{HEAD}\n\n{body}\n"


@pytest.mark.parametrize("stop", [".", ""], ids=["dated line ends", "dated line open"])
@pytest.mark.parametrize("shape", ["headings", "inline", "one-line", "glued-footer"])
def test_a_question_and_its_answer_are_one_passage(tmp_path, shape, stop):
    """Also where the front matter's dated line ends without a full stop: it heads no passage."""
    path = tmp_path / "aanhangsel.txt"
    path.write_text(paper(shape).replace("(ontvangen 2 april 2025).", "(ontvangen 2 april 2025)" + stop), encoding="utf-8")
    doc = extract(path)
    assert doc.meta.doc_type == "antwoord kamervragen"
    body = [p for p in make_passages(doc, lambda t: len(t.split()) * 3 // 2, 384) if p.kind == "body"]
    for q, a in PAIRS:
        holding = [p for p in body if q in p.text]
        assert len(holding) == 1 and a.split(". ")[0] in holding[0].text, (q, [p.text for p in body])
    assert all(sum(q in p.text for q, _ in PAIRS) <= 1 for p in body)  # the next question starts a passage
    assert not any("ontvangen" in p.heading for p in body), [p.heading for p in body]
    # and the Kamer's words are the questions alone: an answer's promise is the minister's
    turns = kamer_turns(doc.blocks, doc.meta.doc_type)
    assert [doc.text[s:e].count("?") for s, e in turns] == [1] * len(PAIRS), turns


@pytest.mark.parametrize("shape", ["headings", "inline", "one-line", "glued-footer"])
def test_who_asked_whom_is_the_preamble_of_answers_to_kamervragen(tmp_path, shape):
    """The text before the first question names who asked, whom, and when: the paper's preamble, which
    hybrid search counts less (it repeats the title every passage carries); no question is in it."""
    path = tmp_path / "aanhangsel.txt"
    path.write_text(paper(shape), encoding="utf-8")
    passages = make_passages(extract(path), lambda t: len(t.split()) * 3 // 2, 384)
    preamble = [p for p in passages if p.kind == "preamble"]
    assert preamble and all(p.seq < min(b.seq for b in passages if b.kind == "body") for p in preamble)
    held = " ".join(p.text for p in preamble)
    assert "(ingezonden 3 maart 2025)" in held and "(ontvangen 2 april 2025)" in held
    assert not any(q in held or a.split(". ")[0] in held for q, a in PAIRS), held


@pytest.mark.parametrize("text, tail", [
    # a letter's headings still end passages
    ("Geachte voorzitter,\n\nMet deze brief informeer ik u over het zoetwaterbeleid.\n\nVerzilting\n\n"
     "De zoutindringing langs de Lek neemt toe.\n\nAanvoer\n\nDe Kleinschalige Wateraanvoer wordt uitgebreid.\n",
     [("Verzilting", "De zoutindringing langs de Lek neemt toe."),
      ("Aanvoer", "De Kleinschalige Wateraanvoer wordt uitgebreid.")]),
    # no heading is lost to search: one with nothing under it heads what follows as well, a table's rows
    # head nothing, and a heading that ends the paper is a passage of its own
    ("Betreft Voortgang zoetwaterbeleid\n\nGeachte voorzitter,\n\nMet deze brief informeer ik u over het "
     "zoetwaterbeleid.\n\nDeel II Uitvoering\n\nAanvoer\n\nDe Kleinschalige Wateraanvoer wordt uitgebreid.\n\n"
     "Innamepunten per jaar\n\nLek 4 6 9\n\nAmsterdam-Rijnkanaal 1 2 2\n\nBijlagen\n",
     [("Deel II Uitvoering > Aanvoer", "De Kleinschalige Wateraanvoer wordt uitgebreid."),
      ("Innamepunten per jaar", "Lek 4 6 9\n\nAmsterdam-Rijnkanaal 1 2 2"), ("", "Bijlagen")]),
    # a heading too long to ride along over the next is a passage of its own, as printed
    ("Betreft Voortgang zoetwaterbeleid\n\nGeachte voorzitter,\n\nMet deze brief informeer ik u.\n\n"
     "Deel II\n\nUitvoering\n\nAanvoer naar het westen\n\nDe Kleinschalige Wateraanvoer wordt uitgebreid.\n",
     [("Deel II", "Uitvoering"), ("Aanvoer naar het westen", "De Kleinschalige Wateraanvoer wordt uitgebreid.")]),
], ids=["headings end passages", "no heading lost", "too long to ride along"])
def test_a_letters_headings(tmp_path, text, tail):
    path = tmp_path / "brief.txt"
    path.write_text(text, encoding="utf-8")
    body = [p for p in make_passages(extract(path), lambda t: len(t.split()), 36) if p.kind == "body"]
    assert [(p.heading, p.text) for p in body][-len(tail):] == tail


def test_a_verslags_fracties_and_the_reaction_keep_their_own_passages():
    """The whole inbreng is one turn of the Kamer's; its headings (a fractie each) and the reaction's still
    end passages: the reaction answers every fractie, not the last one."""
    doc = extract(CORPUS / "2025-05-22_verslag-schriftelijk-overleg-drinkwater.txt")
    body = [p for p in make_passages(doc, lambda t: len(t.split()) * 3 // 2, 384) if p.kind == "body"]
    starts = {p.text.split(".")[0]: p.heading for p in body}
    assert starts["De leden van de VVD-fractie hebben met belangstelling kennisgenomen van de brief"] \
        == "Vragen en opmerkingen van de leden van de VVD-fractie"
    assert starts["Ik dank de leden voor hun vragen"] == "II Reactie van de minister"


LIJST_HEAD = ("36 600 XII Vaststelling van de begrotingsstaten van het Ministerie van Infrastructuur en Waterstaat\n\n"
              "Nr. 12 LIJST VAN VRAGEN EN ANTWOORDEN\n\nVastgesteld 14 november 2025\n\n"
              "De vaste commissie voor Infrastructuur en Waterstaat heeft een aantal vragen voorgelegd aan de "
              "Minister over de begroting. De Minister heeft deze vragen beantwoord bij brief van 10 november "
              "2025. Vragen en antwoorden zijn hierna afgedrukt.")
LIJST = [("Hoeveel kilometer dijk wordt in 2026 versterkt?",
          "In 2026 wordt 52 kilometer dijk versterkt. Ik informeer uw Kamer voor 1 juni 2026 over de voortgang."),
         ("Waarom stijgen de kosten van de vaarwegen?\n\nKunt u de stijging per vaarweg uitsplitsen?",
          "De kosten stijgen door hogere bouwprijzen. Een uitsplitsing per vaarweg stuur ik u in het voorjaar.")]


@pytest.mark.parametrize("shape", ["labelled", "unlabelled answers", "numbers only"])
def test_a_lijst_van_vragen_answers_in_the_ministers_voice(tmp_path, shape):
    """A lijst van vragen en antwoorden as the Kamer prints them: "Vraag 1 … Antwoord op vraag 1:", "Vraag 1"
    with the answer unlabelled below the question, or a number alone on a line. Each question opens a
    passage with its answer, and the answer is the minister's: its promises are commitments."""
    def qa(i, q, a):
        if shape == "labelled":
            return f"Vraag {i}\n\n{q}\n\nAntwoord op vraag {i}:\n\n{a}"
        return (f"Vraag {i}" if shape == "unlabelled answers" else f"{i}") + f"\n\n{q}\n\n{a}"
    path = tmp_path / "lijst.txt"
    path.write_text(LIJST_HEAD + "\n\n" + "\n\n".join(qa(i, q, a) for i, (q, a) in enumerate(LIJST, 1)) + "\n",
                    encoding="utf-8")
    doc = extract(path)
    assert doc.meta.doc_type == "lijst van vragen en antwoorden"
    turns = kamer_turns(doc.blocks, doc.meta.doc_type)
    assert not any(a.split(". ")[0] in doc.text[s:e] for s, e in turns for _, a in LIJST), turns
    assert all(any(q.split("?")[0] in doc.text[s:e] for s, e in turns) for q, _ in LIJST)
    passages = make_passages(doc, lambda t: len(t.split()) * 3 // 2, 384)
    assert {p.kind for p in passages} == {"body"}  # its introduction is the committee's text, no preamble
    body = [p for p in passages if p.kind == "body"]
    for q, a in LIJST:
        assert [a.split(". ")[0] in p.text for p in body if q.split("?")[0] in p.text] == [True], [p.text for p in body]
    from pipeline.segment import analyse
    promised = [c.text for c in analyse(doc).commitments]
    assert any("voor 1 juni 2026" in t for t in promised) and any("in het voorjaar" in t for t in promised), promised


def test_numbered_questions_on_one_line_each_open_a_turn():
    """A converter that lost every line break: the next number before a question opens it, even right after
    another question (answered together later); "nr. 47" or "vraag 1." do not end a question."""
    from pipeline.model import Block
    text = ("1 Hoeveel dijken zijn er? 2 Hoeveel sluizen staan in de motie (Kamerstuk 36 600 XII, nr. 47)? "
            "Zie het antwoord op vraag 1. 3 Wat kost dat? Veel.")
    turns = kamer_turns([Block("paragraph", text, 1, 0, len(text))], "lijst van vragen en antwoorden")
    assert [text[s:e].strip() for s, e in turns] == [
        "1 Hoeveel dijken zijn er?", "2 Hoeveel sluizen staan in de motie (Kamerstuk 36 600 XII, nr. 47)?",
        "3 Wat kost dat?"]


@pytest.mark.parametrize("text, asked", [
    # plain pdftotext sets a label on the line under the answer before, in one block with it
    ("Dat is gemeld. Vraag 7, 8, 9 10 en 11 Wat gaat u doen? Kunt u dat toelichten? Antwoord 7, 8, 9, 10 en 11 "
     "Wij treden op.", ["Vraag 7, 8, 9 10 en 11 Wat gaat u doen? Kunt u dat toelichten?"]),
    ("Dat is gemeld. Vraag 3 en 4 Wat kost het? Antwoord 3 en 4 Niets.", ["Vraag 3 en 4 Wat kost het?"]),
    ("Zie Vraag 7, die eerder is beantwoord. Vraag 8 Wat kost het? Antwoord 8 Niets.", ["Vraag 8 Wat kost het?"]),
])
def test_a_label_inside_a_block_opens_the_turn_of_one_question_or_several(text, asked):
    from pipeline.model import Block
    turns = kamer_turns([Block("paragraph", text, 1, 0, len(text))], "antwoord kamervragen")
    assert [text[s:e].strip() for s, e in turns] == asked


@pytest.mark.parametrize("text, sentences", [
    # sentences within a paragraph and across paragraphs and a line break, under the title and heading
    ("De gemalen draaien op volle kracht. Het waterschap meldt geen storingen.\n\nIn mei volgt een evaluatie "
     "van de pompen.", ["De gemalen draaien op volle kracht.", "Het waterschap meldt geen storingen.",
                        "In mei volgt een evaluatie van de pompen."]),
    ("Antwoord 3\n\nDe gemalen draaien op volle kracht. Zie bijlage. Het waterschap meldt geen storingen.",
     ["De gemalen draaien op volle kracht.", "Het waterschap meldt geen storingen."]),  # too short to count
    ("De gemalen draaien op volle kracht.", []),  # one sentence: the passage's own vector is the sentence's
    ("De gemalen draaien op volle kracht. Zie bijlage.", []),
    ("Ruim 40 gemalen draaien op volle kracht (zie o.a. de brief van 3 mei). 'Het waterschap meldt geen "
     "storingen.'", ["Ruim 40 gemalen draaien op volle kracht (zie o.a. de brief van 3 mei).",
                     "'Het waterschap meldt geen storingen.'"]),
])
def test_each_sentence_of_a_passage_is_read_under_its_heading(text, sentences):
    from pipeline.passages import sentence_texts
    assert sentence_texts("Stand van zaken", text) == [f"Stand van zaken > {s}" for s in sentences]


def test_sentences_are_read_apart_unless_turned_off():
    doc = extract(CORPUS / "2025-04-17_natuurherstel-stikstof.txt")
    count = lambda t: len(t.split()) * 3 // 2  # noqa: E731
    with_sentences = make_passages(doc, count, 384)
    assert any(p.sentence_texts for p in with_sentences)
    title = doc.meta.title
    assert title and all(p.embed_text.startswith(title) and not any(title in t for t in p.sentence_texts)
                         for p in with_sentences)
    assert not any(p.sentence_texts for p in make_passages(doc, count, 384, sentences=False))


def test_a_sentence_is_read_with_the_long_forms_of_the_acronyms_it_uses():
    from pipeline.passages import sentence_texts
    glossary = "NPW: Nationaal Programma Water; KRW: Kaderrichtlijn Water"
    assert sentence_texts("", "Het NPW loopt tot 2030 door. De gemeenten voeren de KRW-maatregelen uit. "
                          "Daarna volgt een evaluatie van alles.", glossary) == [
        "Het NPW loopt tot 2030 door.\n\n(NPW: Nationaal Programma Water)",
        "De gemeenten voeren de KRW-maatregelen uit.\n\n(KRW: Kaderrichtlijn Water)",
        "Daarna volgt een evaluatie van alles."]


def test_a_known_acronym_is_indexed_with_its_long_form_and_a_papers_own_definition_wins(tmp_path):
    path = tmp_path / "brief.txt"
    path.write_text("Geachte voorzitter,\n\nDe Onderwijsmonitor (OM) verschijnt elk jaar. Volgens het OM en het UWV "
                    "vinden meer jongeren werk via een leerwerkplek.\n\nHoogachtend,\n", encoding="utf-8")
    count = lambda t: len(t.split()) * 3 // 2  # noqa: E731
    body = next(p for p in make_passages(extract(path), count, 384) if "UWV" in p.text)
    assert "Uitvoeringsinstituut Werknemersverzekeringen" in body.terms and "Openbaar" not in body.terms
    assert body.glossary == "" and "Uitvoeringsinstituut" not in body.embed_text  # the encoder knows it; OM is in the text


@pytest.mark.parametrize("name, preamble", [
    ("2025-05-28_antwoorden-kamervragen-gemalen.pdf", True),
    ("2025-04-03_nota-naar-aanleiding-van-het-verslag-waterwet.txt", False),  # the government's own introduction
    ("2025-05-22_verslag-schriftelijk-overleg-drinkwater.txt", False),
    ("2024-06-20_lerarentekort-voortgang.txt", False),
])
def test_only_answers_to_kamervragen_have_a_preamble(name, preamble):
    passages = make_passages(extract(CORPUS / name), lambda t: len(t.split()) * 3 // 2, 384)
    front = [p.text for p in passages if p.kind == "preamble"]
    assert bool(front) == preamble, front
    if preamble:
        assert all("?" not in t for t in front) and "Vragen van het lid" in front[0], front


LONG = ("Het zoutgehalte bij de inlaat wordt elk uur gemeten. Boven de grens sluit het waterschap de inlaat en "
        "schakelt het over op de buffer. Die buffer volstaat voor ruim twee weken. Daarna wordt water aangevoerd "
        "over de Kleinschalige Wateraanvoer. In droge zomers kan ook dat tekortschieten, en dan gaat de landbouw "
        "als eerste op rantsoen. Drinkwater heeft altijd voorrang.")


@pytest.mark.parametrize("shape", ["headings", "inline", "one-line", "glued-footer"])
def test_an_answer_longer_than_a_passage_names_all_its_passages(tmp_path, shape):
    """An answer cut at the encoder's limit keeps its passages together (`answer_seqs`, the question's first),
    so that search shows it whole; an answer of one passage, the preamble and the footnotes name none."""
    pairs = [PAIRS[0], (PAIRS[1][0], LONG), PAIRS[2]]
    path = tmp_path / "aanhangsel.txt"
    path.write_text(paper(shape, pairs), encoding="utf-8")
    passages = make_passages(extract(path), lambda t: len(t.split()), 60, 512)
    together = {tuple(p.answer_seqs) for p in passages if p.answer_seqs}
    assert len(together) == 1, [(p.seq, p.answer_seqs, p.text) for p in passages]
    seqs = together.pop()
    assert len(seqs) > 1 and list(seqs) == list(range(seqs[0], seqs[-1] + 1))
    whole = " ".join(passages[s].text for s in seqs)
    assert whole.index(pairs[1][0]) < whole.index("Drinkwater heeft altijd voorrang.")  # question first, all of it
    assert all(not p.answer_seqs for p in passages if p.seq not in seqs)


def test_a_questions_label_heads_no_other_question(tmp_path):
    """Plain pdftotext sets one label on a line of its own ("Vraag 1", a heading) and the next inside the
    answer's paragraph: the second question is not headed by the first one's label."""
    path = tmp_path / "aanhangsel.txt"
    (q1, a1), (q2, a2), _ = PAIRS
    path.write_text(f"{HEAD}\n\nVraag 1\n\n{q1}\n\nAntwoord 1\n\n{a1}\nVraag 2 {q2}\nAntwoord 2 {a2}\n", encoding="utf-8")
    passages = make_passages(extract(path), lambda t: len(t.split()), 384)
    by_question = {q: p.heading for p in passages for q in (q1, q2) if q in p.text}
    assert by_question == {q1: "Vraag 1", q2: ""}, [(p.heading, p.text[:40]) for p in passages]


DECISIONS = [("Voortgang van het Hoogwaterbeschermingsprogramma",
              "Zaak: Brief regering - minister van Infrastructuur en Waterstaat - 12 maart 2025\n\n"
              "Besluit: Agenderen voor het commissiedebat Water van 9 april 2025."),
             ("Verzoek van het lid Kops om een rondetafelgesprek over bodemdaling",
              "Besluit: Ingestemd; de griffie nodigt deskundigen uit.\n\n"
              "1. de commissie vraagt de minister om een schriftelijke reactie vooraf.\n\n"
              "2. de staf stelt de lijst van genodigden op."),
             ("Planning van de dijkversterkingen",
              "Besluit: Voor kennisgeving aangenomen.")]


@pytest.mark.parametrize("label", ["{n}. Agendapunt: {title}", "Agendapunt {n} {title}"])
def test_each_agenda_item_of_a_decision_list_is_a_passage_of_its_own(tmp_path, label):
    """Short items that would fit in one passage each start their own; a sub-decision numbered inside an
    item stays with it. In a letter the same numbered paragraphs pack as any paragraphs do."""
    items = "\n\n".join(f"{label.format(n=n, title=title)}\n\n{rest}" for n, (title, rest) in enumerate(DECISIONS, 1))
    text = f"Besluitenlijst procedurevergadering vaste commissie voor Infrastructuur en Waterstaat\n\nDatum: 20 maart 2025\n\n{items}\n"
    path = tmp_path / "besluitenlijst.txt"
    path.write_text(text, encoding="utf-8")
    doc = extract(path)
    assert doc.meta.doc_type == "besluitenlijst"
    # a short "Agendapunt 2 …" line may be read as the item's heading
    body = [f"{p.heading}\n\n{p.text}" for p in make_passages(doc, lambda t: len(t.split()), 384) if p.kind == "body"]
    for title, rest in DECISIONS:
        holding = [t for t in body if title in t]
        assert len(holding) == 1 and rest.split("\n\n")[-1] in holding[0], (title, body)
        assert sum(other in holding[0] for other, _ in DECISIONS) == 1, holding
    if not label.startswith("{n}."):  # a short "Agendapunt 2 …" line heads its item, and a heading ends a passage anywhere
        return
    letter = tmp_path / "brief.txt"
    letter.write_text(f"Geachte voorzitter,\n\n{items}\n\nHoogachtend,\n", encoding="utf-8")
    doc = extract(letter)
    assert doc.meta.doc_type == "brief"
    assert sum(all(t in p.text for t, _ in DECISIONS) for p in make_passages(doc, lambda t: len(t.split()), 384)) == 1


TABLED = ("Hoeveel meldingen over zout grondwater kwamen er de afgelopen jaren binnen?",
          "Het aantal meldingen is elk jaar gestegen. De cijfers staan hieronder.\n\n"
          "Meldingen bij het Meldpunt Verzilting\n\nJaar Meldingen Waarvan agrarisch\n\n2022 14 9\n2023 31 22\n2024 52 40")


@pytest.mark.parametrize("shape", ["headings", "inline"])
def test_a_heading_inside_an_answer_starts_a_passage_of_the_answer(tmp_path, shape):
    """A table's caption and header row inside an answer to Kamervragen read as headings: they start a passage,
    and that passage is still the answer's (`answer_seqs`), so that search shows the answer whole; the next
    question is not part of it."""
    path = tmp_path / "aanhangsel.txt"
    path.write_text(paper(shape, [TABLED, PAIRS[1]]), encoding="utf-8")
    passages = make_passages(extract(path), lambda t: len(t.split()), 384)
    (seqs,) = {tuple(p.answer_seqs) for p in passages if p.answer_seqs}
    shown = " ".join(f"{passages[s].heading} {passages[s].text}" for s in seqs)
    assert TABLED[0] in shown and "Meldpunt Verzilting" in shown and "2024 52 40" in shown, shown
    assert PAIRS[1][0] not in shown


def test_an_answers_label_after_no_question_opens_another_answer(tmp_path):
    """A converter that lost a question's label and words at a page break leaves "Antwoord 2" after the first
    answer: that answer is not the first one's."""
    path = tmp_path / "aanhangsel.txt"
    lost = paper("headings", PAIRS[:2]).replace(f"Vraag 2\n\n{PAIRS[1][0]}\n\n", "")
    assert "Antwoord 2" in lost and PAIRS[1][0] not in lost
    path.write_text(lost, encoding="utf-8")
    passages = make_passages(extract(path), lambda t: len(t.split()), 384)
    second = next(p for p in passages if PAIRS[1][1].split(". ")[0] in p.text)
    assert not second.answer_seqs and PAIRS[0][0] not in second.text, [(p.seq, p.answer_seqs, p.text) for p in passages]


def test_a_heading_does_not_head_its_sibling(tmp_path):
    """A decision list's category with nothing under it but "Geen agendapunten" does not head the next
    category, which opens as it does; a part's title still heads its first section."""
    text = ("Besluitenlijst procedurevergadering vaste commissie voor Binnenlandse Zaken\n\nDatum: 20 maart 2025\n\n"
            "Brieven van de minister van Algemene Zaken\n\nGeen agendapunten\n\n"
            "Brieven van de minister van Binnenlandse Zaken\n\n1. Agendapunt: Voortgang van de Wet open overheid\n\n"
            "Besluit: Agenderen voor het commissiedebat Openbaar bestuur.\n\n"
            "Overige zaken\n\nRondvraag\n\n2. Agendapunt: Werkbezoek aan de Veiligheidsregio Zeeland\n\n"
            "Besluit: Ingestemd.\n")
    path = tmp_path / "besluitenlijst.txt"
    path.write_text(text, encoding="utf-8")
    doc = extract(path)
    assert doc.meta.doc_type == "besluitenlijst"
    passages = make_passages(doc, lambda t: len(t.split()), 384)
    heads = {p.text.split("\n")[0]: p.heading for p in passages}
    assert heads["1. Agendapunt: Voortgang van de Wet open overheid"] == "Brieven van de minister van Binnenlandse Zaken", heads
    assert heads["Geen agendapunten"] == "Brieven van de minister van Algemene Zaken", heads  # no heading's words lost
    assert heads["2. Agendapunt: Werkbezoek aan de Veiligheidsregio Zeeland"] == "Overige zaken > Rondvraag", heads
