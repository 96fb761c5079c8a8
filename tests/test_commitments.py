"""Commitments: (sentence, expected kind or None) tables, and deadlines and actors on top."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.commitments import actor, find_commitments
from pipeline.motions import Sentence

NEW = [
    "Ik zal uw Kamer informeren zodra wij in de regio knelpunten met de levering merken.",
    "Ik zal uw Kamer in het najaar informeren over de uitkomsten van de consultatie.",
    "Zodra het advies binnen is, zal ik u daarover berichten.",
    "We zullen de aanbevelingen betrekken bij de herziening van de regeling.",
    "Het kabinet zal de Kamer voor de zomer een wetsvoorstel sturen.",
    "Uw Kamer wordt geïnformeerd over de definitieve verdeling van de middelen.",
    "Uw Kamer zal over de uitkomsten van de pilot worden geïnformeerd.",
    "Vanzelfsprekend wordt u over de voortgang geïnformeerd.",
    "Over de evaluatie zal de Tweede Kamer worden geïnformeerd in de jaarrapportage.",
    "Begin oktober hopen we de afspraken met de sector te ondertekenen.",
    "Ik verwacht u eind 2024 een voorstel te kunnen sturen.",
    "Na de ondertekening ga ik graag met u in gesprek over de uitvoering.",
    "In september kunt u de eerste monitor verwachten.",
    "Hierover informeer ik u in het voorjaar.",
    "Begin oktober stuur ik u een overzicht van de regionale plannen.",
    "De tweede voortgangsrapportage ontvangt uw Kamer medio september.",
    "Op dit punt kom ik in de volgende voortgangsbrief terug.",
    "Het streven is om uiterlijk eind dit jaar een plan van aanpak gereed te hebben.",
    "Het kabinet komt hier in het najaar op terug.",
    "Het kabinet informeert de Kamer voor de zomer over de uitwerking.",
    "Ik zeg uw Kamer toe de evaluatie met de sector te bespreken.",
    "U wordt voor het einde van het jaar geïnformeerd over de uitkomsten.",
    "Ik stel uw Kamer voor 1 juli op de hoogte van het besluit.",
    # sent to the Kamer, the Kamer named after the paper
    "Zodra de metingen zijn afgerond, wordt het rapport zo spoedig mogelijk naar uw Kamer gestuurd.",
    # an act of the letter's kind, with a later paper or a time for it
    "Het kabinet zal in een aparte brief op de uitvoering van de motie ingaan.",
    "Ik zal in het najaar nader ingaan op de gevolgen voor de regio.",
    # a second verb of the author's, a moment still to come
    "Ik laat de regeling voor de zomer van 2026 evalueren en informeer uw Kamer over de uitkomsten.",
    "Ik bespreek dit voorstel met de provincies en kom hierop terug in de volgende voortgangsbrief.",
    "Over de uitkomsten van de proef informeer ik uw Kamer zodra de evaluatie gereed is.",
    "Wij sturen u het rapport wanneer de Raad van State heeft geadviseerd.",
]
FULFILMENT = [
    "Zoals toegezegd tijdens het commissiedebat stuur ik u hierbij het rapport.",
    "Zoals toegezegd in de planningsbrief informeren wij uw Kamer in deze brief over het plan van aanpak.",
    "Tijdens het debat van 3 maart is toegezegd u voor de zomer te informeren over de aanpak.",
    "Met deze brief geef ik invulling aan de toezeggingen die ik tijdens het notaoverleg heb gedaan.",
    "Met deze brief kom ik de toezegging na om u over de pilot te informeren.",
]
NONE = [
    # the letter itself is the act
    "In deze brief zal ik nader ingaan op het akkoord.",
    "Met deze brief informeer ik uw Kamer over de voortgang.",
    "Via deze weg informeer ik u ook over de laatste ontwikkelingen.",
    # the past
    "Op 3 juni jl. bent u hierover geïnformeerd.",
    "In de brief van 14 april heb ik u geïnformeerd over de stand van zaken.",
    "Eerder heb ik aangegeven de rapportage voor de zomer op te sturen.",
    "Met deze brief hoop ik u voldoende geïnformeerd te hebben.",
    # cannot
    "Vanwege de onderhandelingen is de aanbieding helaas niet mogelijk voor het zomerreces.",
    # third parties and their plans
    "De NZa zal regio-analyses publiceren.",
    "De waterschappen zullen hun programmering in april actualiseren.",
    "De Onderwijsraad heeft aangekondigd in het najaar een advies uit te brengen.",
    "De politie verwacht begin 2025 de nieuwe werkwijze te hebben ingevoerd.",
    # somebody else's words reported
    "De leden van de VVD-fractie vragen of de minister de Kamer voor de zomer zal informeren.",
    "De minister schrijft dat hij de Kamer in het najaar zal informeren.",
    "Kan de minister toezeggen dat hij de Kamer voor de zomer informeert?",
    "Het kabinet heeft de Kamer in mei geïnformeerd over de uitwerking.",
    "Ik houd vast aan de afspraken die in 2023 zijn gemaakt.",
    # an act done in the letter itself, or an expectation of what others will do
    "Daarvoor zal ik eerst ingaan op de taken die gemeenten en provincies hierin hebben.",
    "Om dit te verduidelijken zal ik u kort toelichten hoe de aanvragen worden gewogen.",
    "Ik verwacht dat de nieuwe werkwijze over twee jaar terug te zien zal zijn in de cijfers.",
    # what will befall the author, no act of theirs
    "Nu de bouw dieper de grond in gaat, zullen we vaker resten van oude stortplaatsen tegenkomen.",
    "Bij een droge zomer zal het kabinet de gevolgen in de scheepvaart het eerst merken.",
    # description, present tense, no time
    "Samen met de burgemeesters breng ik in kaart waar de risico's het grootst zijn.",
    "Ik deel met de partijen de noodzaak om scherp te monitoren.",
    "Hiermee geven we uitvoering aan de motie van het lid Bergkamp c.s.",
    "Ik laat de regeling evalueren en bespreek de uitkomsten met de sector.",
    "Ik weet dat de gemeenten wachten en informeer ze daarom rechtstreeks over de regeling.",
    "Hierbij informeer ik u over de stand van zaken, zodat u weet wanneer de regeling ingaat.",
]

REF = dt.date(2025, 7, 4)


def _one(sentence: str):
    found = find_commitments([Sentence(0, len(sentence), sentence)], REF)
    assert len(found) <= 1
    return found[0] if found else None


@pytest.mark.parametrize("sentence", NEW)
def test_new(sentence):
    c = _one(sentence)
    assert c is not None and c.kind == "new"


@pytest.mark.parametrize("sentence", FULFILMENT)
def test_fulfilment_has_no_deadline(sentence):
    c = _one(sentence)
    assert c is not None and c.kind == "fulfilment" and c.deadline is None


@pytest.mark.parametrize("sentence", NONE)
def test_not_a_commitment(sentence):
    assert _one(sentence) is None


@pytest.mark.parametrize("sentence, text, deadline", [
    ("Hierover informeer ik u in het voorjaar.", "in het voorjaar", dt.date(2026, 6, 20)),
    ("Ik zal zo spoedig mogelijk na het zomerreces de rapportage sturen.", None, None),
    ("Begin oktober stuur ik u een overzicht van de regionale plannen.", "Begin oktober", dt.date(2025, 10, 10)),
    # a moment of the Kamer's own: a promise with a deadline phrase, dated only when the paper dates it
    ("Een uitsplitsing per vaarweg stuur ik uw Kamer voor de behandeling van de Voorjaarsnota.",
     "voor de behandeling van de Voorjaarsnota", None),
    ("Ik informeer u voor het commissiedebat van 12 maart 2026.", "voor het commissiedebat van 12 maart 2026",
     dt.date(2026, 3, 11)),  # before the day, as "voor 12 maart"
])
def test_deadline(sentence, text, deadline):
    c = _one(sentence)
    assert (c.deadline_text, c.deadline) == (text, deadline)


@pytest.mark.parametrize("sentence, who", [
    ("Ik zal u informeren.", "ik"),
    ("We zullen dat onderzoeken.", "wij"),
    ("Het kabinet zal de Kamer informeren.", "kabinet"),
    ("Uw Kamer wordt geïnformeerd.", "passive"),
])
def test_actor(sentence, who):
    assert actor(sentence) == who
