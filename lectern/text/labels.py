"""The fixed words of every output (deck, course page, handout, study guide) in each language.

One table, WORDS: for each language, the words the screen and print say alike (SHARED), the
screen's own (SCREEN: the deck's controls, the course page, the handout's slide labels) and
print's own (PRINT: the study guide), where print words a thing differently or alone says it.
A word missing in a language is the English one: `labels` gives the screen's words, `labels_for`
print's. The screen has English, Spanish, French and German; print also Italian, Portuguese and
Dutch (a deck in those falls back to English on screen).
"""
from __future__ import annotations

SHARED, SCREEN, PRINT = "shared", "screen", "print"

WORDS: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        SCREEN: {
            "questions": "Questions for discussion", "references": "References", "part": "Part {n}", "lecture": "Lecture {n}",
            "slide": "Slide", "of": "of", "help_title": "Keys", "close": "Close", "close_esc": "Close (Esc)",
            "next_step_or_slide": "next step or slide", "back": "back", "first_last": "first, last slide",
            "go_to_7": "go to slide 7", "overview": "overview of all slides", "speaker": "speaker view in a second window",
            "fullscreen": "full screen", "black": "black screen", "this_list": "this list", "touch": "On a touch screen, swipe left or right.",
            "keys_button": "Keyboard shortcuts (?)", "notes": "Speaker notes", "all_slides": "All slides",
            "now": "Now", "next_step": "Next step", "next_slide": "Next slide", "step": "step",
            "end": "End of the deck", "no_notes": "No notes for this slide.", "restart": "Restart timer",
            "speaker_view": "Speaker view", "time_used": "Time used",
            "lectures": "Lectures", "minutes": "minutes", "slides_n": "slides", "slide_1": "slide",
            "deck": "Slides", "handout": "Handout", "notes_pdf": "Speaker notes", "guide": "Study guide",
            "guide_meta": "the whole course as a book", "footer": "The slides work offline: open them straight from the folder; press ? in a deck for its keys.",
            "popup_blocked": "The browser blocked the speaker window: allow pop-ups for this file.",
            "read_view": "Read", "slide_view": "Slides",
            "media_note": "Its deck plays {n} video(s) from {folder}: keep that folder beside the deck.",
        },
        PRINT: {
            # a slide's video and live page (text/media.py: the deck's offline note among them, kept
            # out of the deck's labels, which its scripts read)
            "video": "Video", "live_page": "Live page", "scan": "Open the address or scan the code.",
            "offline": "This live page cannot be reached now: open the address when the network is back.",
            "study_guide": "Study guide", "contents": "Contents", "chapter": "Chapter",
            "chapter_short": "ch.", "objectives": "Learning objectives", "key_points": "Key points",
            "figure": "Figure", "table": "Table", "source": "Source", "questions": "Discussion questions",
            "further_reading": "Further reading", "chronology": "Chronology",
            "glossary": "Glossary", "bibliography": "Bibliography",
            "colophon": "Set in Linux Libertine and Linux Biolinum with Lectern and WeasyPrint.",
        },
    },
    "es": {
        SHARED: {"questions": "Preguntas para el debate"},
        SCREEN: {
            "references": "Referencias", "part": "Parte {n}", "lecture": "Clase {n}",
            "slide": "Diapositiva", "of": "de", "help_title": "Teclas", "close": "Cerrar", "close_esc": "Cerrar (Esc)",
            "next_step_or_slide": "paso o diapositiva siguiente", "back": "atrás", "first_last": "primera, última diapositiva",
            "go_to_7": "ir a la diapositiva 7", "overview": "vista de todas las diapositivas",
            "speaker": "vista del orador en otra ventana", "fullscreen": "pantalla completa", "black": "pantalla negra",
            "this_list": "esta lista", "touch": "En una pantalla táctil, deslice a izquierda o derecha.",
            "keys_button": "Atajos de teclado (?)", "notes": "Notas del orador", "all_slides": "Todas las diapositivas",
            "now": "Ahora", "next_step": "Paso siguiente", "next_slide": "Diapositiva siguiente", "step": "paso",
            "end": "Fin de la presentación", "no_notes": "Sin notas para esta diapositiva.", "restart": "Reiniciar",
            "speaker_view": "Vista del orador", "time_used": "Tiempo usado",
            "lectures": "Clases", "minutes": "minutos", "slides_n": "diapositivas", "slide_1": "diapositiva",
            "deck": "Diapositivas", "handout": "Apuntes", "notes_pdf": "Notas del orador", "guide": "Guía de estudio",
            "guide_meta": "todo el curso como libro", "footer": "Las diapositivas funcionan sin conexión: ábralas desde la carpeta; pulse ? en una presentación para ver sus teclas.",
            "popup_blocked": "El navegador bloqueó la ventana del orador: permita las ventanas emergentes para este archivo.",
            "read_view": "Leer", "slide_view": "Diapositivas",
            "media_note": "Sus diapositivas reproducen {n} vídeo(s) de {folder}: mantenga esa carpeta junto a ellas.",
        },
        PRINT: {
            "video": "Vídeo", "live_page": "Página en vivo", "scan": "Abra la dirección o escanee el código.",
            "offline": "No se puede acceder ahora a esta página: ábrala cuando vuelva la conexión.",
            "study_guide": "Guía de estudio", "contents": "Índice", "chapter": "Capítulo",
            "chapter_short": "cap.", "objectives": "Objetivos de aprendizaje",
            "key_points": "Ideas clave", "figure": "Figura", "source": "Fuente",
            "further_reading": "Lecturas complementarias",
            "chronology": "Cronología", "glossary": "Glosario", "bibliography": "Bibliografía",
            "colophon": "Compuesto en Linux Libertine y Linux Biolinum con Lectern y WeasyPrint.",
        },
    },
    "fr": {
        SCREEN: {
            "questions": "Questions pour la discussion", "references": "Références", "part": "Partie {n}", "lecture": "Cours {n}",
            "slide": "Diapositive", "of": "sur", "help_title": "Touches", "close": "Fermer", "close_esc": "Fermer (Échap)",
            "next_step_or_slide": "étape ou diapositive suivante", "back": "retour", "first_last": "première, dernière diapositive",
            "go_to_7": "aller à la diapositive 7", "overview": "vue de toutes les diapositives",
            "speaker": "vue de l’orateur dans une autre fenêtre", "fullscreen": "plein écran", "black": "écran noir",
            "this_list": "cette liste", "touch": "Sur un écran tactile, balayez à gauche ou à droite.",
            "keys_button": "Raccourcis clavier (?)", "notes": "Notes de l’orateur", "all_slides": "Toutes les diapositives",
            "now": "Maintenant", "next_step": "Étape suivante", "next_slide": "Diapositive suivante", "step": "étape",
            "end": "Fin de la présentation", "no_notes": "Pas de notes pour cette diapositive.", "restart": "Remettre à zéro",
            "speaker_view": "Vue de l’orateur", "time_used": "Temps écoulé",
            "lectures": "Cours", "minutes": "minutes", "slides_n": "diapositives", "slide_1": "diapositive",
            "deck": "Diapositives", "handout": "Polycopié", "notes_pdf": "Notes de l’orateur", "guide": "Guide d’étude",
            "guide_meta": "tout le cours en un livre", "footer": "Les diapositives fonctionnent hors ligne : ouvrez-les depuis le dossier ; appuyez sur ? dans une présentation pour ses touches.",
            "popup_blocked": "Le navigateur a bloqué la fenêtre de l’orateur : autorisez les fenêtres surgissantes pour ce fichier.",
            "read_view": "Lire", "slide_view": "Diapositives",
            "media_note": "Ses diapositives lisent {n} vidéo(s) de {folder} : gardez ce dossier à côté d’elles.",
        },
        PRINT: {
            "video": "Vidéo", "live_page": "Page en direct", "scan": "Ouvrez l’adresse ou scannez le code.",
            "offline": "Cette page est injoignable pour l’instant : ouvrez l’adresse quand le réseau sera revenu.",
            "study_guide": "Guide d’étude", "contents": "Table des matières", "chapter": "Chapitre",
            "chapter_short": "chap.", "objectives": "Objectifs d’apprentissage",
            "key_points": "Points clés", "figure": "Figure", "source": "Source",
            "questions": "Questions de discussion", "further_reading": "Pour aller plus loin",
            "chronology": "Chronologie", "glossary": "Glossaire", "bibliography": "Bibliographie",
            "colophon": "Composé en Linux Libertine et Linux Biolinum avec Lectern et WeasyPrint.",
        },
    },
    "de": {
        SHARED: {"questions": "Fragen zur Diskussion"},
        SCREEN: {
            "references": "Literatur", "part": "Teil {n}", "lecture": "Vorlesung {n}",
            "slide": "Folie", "of": "von", "help_title": "Tasten", "close": "Schließen", "close_esc": "Schließen (Esc)",
            "next_step_or_slide": "nächster Schritt oder nächste Folie", "back": "zurück", "first_last": "erste, letzte Folie",
            "go_to_7": "zu Folie 7", "overview": "Übersicht aller Folien", "speaker": "Referentenansicht in einem zweiten Fenster",
            "fullscreen": "Vollbild", "black": "schwarzer Bildschirm", "this_list": "diese Liste",
            "touch": "Auf einem Touchscreen nach links oder rechts wischen.", "keys_button": "Tastenkürzel (?)",
            "notes": "Notizen", "all_slides": "Alle Folien", "now": "Jetzt", "next_step": "Nächster Schritt",
            "next_slide": "Nächste Folie", "step": "Schritt", "end": "Ende der Präsentation",
            "no_notes": "Keine Notizen zu dieser Folie.", "restart": "Zeit neu starten", "speaker_view": "Referentenansicht",
            "time_used": "Verbrauchte Zeit", "lectures": "Vorlesungen", "minutes": "Minuten", "slides_n": "Folien",
            "slide_1": "Folie", "deck": "Folien", "handout": "Handout", "notes_pdf": "Notizen", "guide": "Studienbuch",
            "guide_meta": "der ganze Kurs als Buch", "footer": "Die Folien funktionieren offline: direkt aus dem Ordner öffnen; ? in einer Präsentation zeigt die Tasten.",
            "popup_blocked": "Der Browser hat das Referentenfenster blockiert: Pop-ups für diese Datei erlauben.",
            "read_view": "Lesen", "slide_view": "Folien",
            "media_note": "Die Folien spielen {n} Video(s) aus {folder}: lassen Sie diesen Ordner neben ihnen liegen.",
        },
        PRINT: {
            "video": "Video", "live_page": "Live-Seite", "scan": "Adresse öffnen oder Code scannen.",
            "offline": "Diese Seite ist gerade nicht erreichbar: öffnen Sie die Adresse, sobald das Netz wieder da ist.",
            "study_guide": "Studienbegleiter", "contents": "Inhalt", "chapter": "Kapitel",
            "chapter_short": "Kap.", "objectives": "Lernziele", "key_points": "Kernpunkte",
            "figure": "Abbildung", "source": "Quelle",
            "further_reading": "Weiterführende Literatur", "chronology": "Zeittafel",
            "glossary": "Glossar", "bibliography": "Literaturverzeichnis",
            "colophon": "Gesetzt in Linux Libertine und Linux Biolinum mit Lectern und WeasyPrint.",
        },
    },
    "it": {
        PRINT: {
            "study_guide": "Guida allo studio", "contents": "Indice", "chapter": "Capitolo",
            "chapter_short": "cap.", "objectives": "Obiettivi di apprendimento",
            "key_points": "Punti chiave", "figure": "Figura", "source": "Fonte",
            "questions": "Domande per la discussione", "further_reading": "Letture consigliate",
            "chronology": "Cronologia", "glossary": "Glossario", "bibliography": "Bibliografia",
            "colophon": "Composto in Linux Libertine e Linux Biolinum con Lectern e WeasyPrint.",
        },
    },
    "pt": {
        PRINT: {
            "study_guide": "Guia de estudo", "contents": "Sumário", "chapter": "Capítulo",
            "chapter_short": "cap.", "objectives": "Objetivos de aprendizagem",
            "key_points": "Pontos-chave", "figure": "Figura", "source": "Fonte",
            "questions": "Questões para discussão", "further_reading": "Leituras complementares",
            "chronology": "Cronologia", "glossary": "Glossário", "bibliography": "Bibliografia",
            "colophon": "Composto em Linux Libertine e Linux Biolinum com Lectern e WeasyPrint.",
        },
    },
    "nl": {
        PRINT: {
            "study_guide": "Studiegids", "contents": "Inhoud", "chapter": "Hoofdstuk",
            "chapter_short": "hfst.", "objectives": "Leerdoelen", "key_points": "Kernpunten",
            "figure": "Figuur", "source": "Bron", "questions": "Discussievragen",
            "further_reading": "Verder lezen", "chronology": "Tijdlijn", "glossary": "Woordenlijst",
            "bibliography": "Literatuur",
            "colophon": "Gezet in Linux Libertine en Linux Biolinum met Lectern en WeasyPrint.",
        },
    },
}


def words(lang: str, output: str) -> dict[str, str]:
    """One output's words (SCREEN or PRINT) for a BCP 47 tag ("es-CU" → Spanish), in English's order.

    Each word comes from the language where it has one, else from English; a language's shared
    words count for both outputs.
    """
    table = WORDS.get((lang or "en").split("-")[0].lower(), {})
    english = WORDS["en"]
    return {**english.get(SHARED, {}), **english[output], **table.get(SHARED, {}), **table.get(output, {})}


def labels(lang: str) -> dict[str, str]:
    """The screen's words (deck controls, course page, handout slides) for a BCP 47 tag."""
    return words(lang, SCREEN)


def labels_for(lang: str) -> dict[str, str]:
    """Print's words (the study guide) for a BCP 47 tag ("de-CH" → German)."""
    return words(lang, PRINT)


RTL_LANGUAGES = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku-arab", "ps", "sd", "syr", "ug", "ur", "yi"}


def text_direction(lang: str) -> str:
    """"rtl" for a language written right to left (`ar`, `he-IL`, `fa`, `ur`, ...), else "ltr"."""
    tag = (lang or "").lower().replace("_", "-")
    if "-arab" in tag or "-hebr" in tag or "-thaa" in tag or "-syrc" in tag:  # a script subtag decides
        return "rtl"
    if "-latn" in tag or "-cyrl" in tag:
        return "ltr"
    return "rtl" if tag.split("-")[0] in RTL_LANGUAGES else "ltr"
