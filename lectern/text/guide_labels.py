"""The fixed words of the printed guide and handouts ("Contents", "Figure"), by language."""
from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "study_guide": "Study guide", "contents": "Contents", "chapter": "Chapter",
        "chapter_short": "ch.", "objectives": "Learning objectives", "key_points": "Key points",
        "figure": "Figure", "source": "Source", "questions": "Discussion questions",
        "further_reading": "Further reading", "chronology": "Chronology",
        "glossary": "Glossary", "bibliography": "Bibliography",
        "colophon": "Set in Linux Libertine and Linux Biolinum with Lectern and WeasyPrint.",
    },
    "de": {
        "study_guide": "Studienbegleiter", "contents": "Inhalt", "chapter": "Kapitel",
        "chapter_short": "Kap.", "objectives": "Lernziele", "key_points": "Kernpunkte",
        "figure": "Abbildung", "source": "Quelle", "questions": "Fragen zur Diskussion",
        "further_reading": "Weiterführende Literatur", "chronology": "Zeittafel",
        "glossary": "Glossar", "bibliography": "Literaturverzeichnis",
        "colophon": "Gesetzt in Linux Libertine und Linux Biolinum mit Lectern und WeasyPrint.",
    },
    "fr": {
        "study_guide": "Guide d’étude", "contents": "Table des matières", "chapter": "Chapitre",
        "chapter_short": "chap.", "objectives": "Objectifs d’apprentissage",
        "key_points": "Points clés", "figure": "Figure", "source": "Source",
        "questions": "Questions de discussion", "further_reading": "Pour aller plus loin",
        "chronology": "Chronologie", "glossary": "Glossaire", "bibliography": "Bibliographie",
        "colophon": "Composé en Linux Libertine et Linux Biolinum avec Lectern et WeasyPrint.",
    },
    "es": {
        "study_guide": "Guía de estudio", "contents": "Índice", "chapter": "Capítulo",
        "chapter_short": "cap.", "objectives": "Objetivos de aprendizaje",
        "key_points": "Ideas clave", "figure": "Figura", "source": "Fuente",
        "questions": "Preguntas para el debate", "further_reading": "Lecturas complementarias",
        "chronology": "Cronología", "glossary": "Glosario", "bibliography": "Bibliografía",
        "colophon": "Compuesto en Linux Libertine y Linux Biolinum con Lectern y WeasyPrint.",
    },
    "it": {
        "study_guide": "Guida allo studio", "contents": "Indice", "chapter": "Capitolo",
        "chapter_short": "cap.", "objectives": "Obiettivi di apprendimento",
        "key_points": "Punti chiave", "figure": "Figura", "source": "Fonte",
        "questions": "Domande per la discussione", "further_reading": "Letture consigliate",
        "chronology": "Cronologia", "glossary": "Glossario", "bibliography": "Bibliografia",
        "colophon": "Composto in Linux Libertine e Linux Biolinum con Lectern e WeasyPrint.",
    },
    "pt": {
        "study_guide": "Guia de estudo", "contents": "Sumário", "chapter": "Capítulo",
        "chapter_short": "cap.", "objectives": "Objetivos de aprendizagem",
        "key_points": "Pontos-chave", "figure": "Figura", "source": "Fonte",
        "questions": "Questões para discussão", "further_reading": "Leituras complementares",
        "chronology": "Cronologia", "glossary": "Glossário", "bibliography": "Bibliografia",
        "colophon": "Composto em Linux Libertine e Linux Biolinum com Lectern e WeasyPrint.",
    },
    "nl": {
        "study_guide": "Studiegids", "contents": "Inhoud", "chapter": "Hoofdstuk",
        "chapter_short": "hfst.", "objectives": "Leerdoelen", "key_points": "Kernpunten",
        "figure": "Figuur", "source": "Bron", "questions": "Discussievragen",
        "further_reading": "Verder lezen", "chronology": "Tijdlijn", "glossary": "Woordenlijst",
        "bibliography": "Literatuur",
        "colophon": "Gezet in Linux Libertine en Linux Biolinum met Lectern en WeasyPrint.",
    },
}


def labels_for(lang: str) -> dict[str, str]:
    """The labels for a BCP 47 tag ("de-CH" → German), English when the language is unknown."""
    base = (lang or "en").split("-")[0].lower()
    return {**LABELS["en"], **LABELS.get(base, {})}
