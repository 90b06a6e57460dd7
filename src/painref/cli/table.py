"""Every command and option of painref, declared once as plain data.

Both ways into the program read this table: `launch.parse` reads argv against it directly (no
Typer import, which costs more than the rest of a run), and `app.build` makes the Typer
application from it for help, completion and usage errors. A test runs every command both ways.
"""

from typing import Any, Literal, NamedTuple

# The choices of the list filters are the model's own values (one list, read at --help too).
from ..model.procedure import MODALITIES, REGIONS, RISK_CLASSES

Kind = Literal["flag", "text", "texts", "int", "float"]


class Option(NamedTuple):
    name: str  # the parameter's name in `commands`
    flags: tuple[str, ...]
    kind: Kind
    help: str
    default: Any = None
    metavar: str | None = None
    choices: tuple[str, ...] = ()  # accepted values, any case (a value is folded to lowercase)
    complete: str | None = None  # what completion offers: procedures, drugs, conditions, ...


class Argument(NamedTuple):
    name: str
    help: str
    complete: str | None = None
    join: bool = True  # the words are one query (else each word is one name)


class Command(NamedTuple):
    name: str
    help: str
    examples: tuple[str, ...]
    argument: Argument | None = None
    options: tuple[Option, ...] = ()


JSON = Option("json_output", ("--json",), "flag", "Print only JSON on stdout.", False)

GLOBAL_OPTIONS: tuple[Option, ...] = (
    Option(
        "data",
        ("--data",),
        "texts",
        "Extra data file layered over the bundled data (repeatable): procedures, drugs or "
        "conditions. Same id replaces, new ids add. Applied after PAINREF_DATA and the config "
        "file's overlays.",
        (),
        "PATH",
    ),
    Option("no_color", ("--no-color",), "flag", "Never use colour (same as --color never).", False),
    Option(
        "color",
        ("--color",),
        "text",
        "When to use colour: auto (on a terminal, unless NO_COLOR is set), always or never. "
        "Default: the config file's display.color, else auto.",
        None,
        "WHEN",
        ("auto", "always", "never"),
    ),
    Option("no_pager", ("--no-pager",), "flag", "Never page long views through PAGER.", False),
    JSON,
)
VERSION_FLAGS = ("--version", "-V")
HELP_FLAGS = ("--help", "-h")


COMMANDS: tuple[Command, ...] = (
    Command(
        "search",
        "Find procedures by any words: a name, abbreviation (TFESI), brand (Kyphon), CPT code, "
        "condition, anatomy or level (L5-S1), or plain words (shot in my tailbone).",
        (
            "painref search sciatica",
            "painref search 'burn the nerves in my neck'",
            "painref search 64483",
        ),
        Argument("text", "Words to look for.", "procedures"),
        (Option("limit", ("--limit", "-n"), "int", "Most results to show.", 10),),
    ),
    Command(
        "show",
        "Show one procedure in full; an unclear name shows the best match and lists the others.",
        (
            "painref show transforaminal-esi",
            "painref show tfesi --brief",
            "painref show kyphoplasty --patient",
            "painref show mbb --section technique",
        ),
        Argument("text", "A procedure id, or any words that find one.", "procedures"),
        (
            Option(
                "patient", ("--patient",), "flag", "The plain-language view for patients.", False
            ),
            Option("brief", ("--brief",), "flag", "One screen: what matters before a case.", False),
            Option(
                "sections",
                ("--section",),
                "texts",
                "Only this section of the full view (repeatable); --section help lists them.",
                (),
                "NAME",
                complete="sections",
            ),
        ),
    ),
    Command(
        "compare",
        "Compare procedures side by side: one column per procedure, one row per attribute. Each "
        "argument is one name; quote a name of several words, or separate names with commas.",
        (
            "painref compare ilesi tfesi caudal-esi",
            "painref compare 'nerve block' tfesi",
            "painref compare mbb medial-branch-rfa --fields imaging,outcomes --diff",
        ),
        Argument("names", "Two or more procedure ids or names.", "procedures", join=False),
        (
            Option(
                "fields",
                ("--fields", "-f"),
                "texts",
                "Rows to show, comma-separated or repeated; --fields help lists them.",
                (),
                "FIELDS",
                complete="fields",
            ),
            Option("diff", ("--diff",), "flag", "Show only the rows that differ.", False),
        ),
    ),
    Command(
        "list",
        "List every procedure, or filter them; --facets shows the values you can filter by.",
        ("painref list --region lumbar --risk low", "painref list --facets"),
        None,
        (
            Option(
                "category",
                ("--category",),
                "text",
                "Only this category.",
                None,
                "CATEGORY",
                complete="categories",
            ),
            Option(
                "region",
                ("--region",),
                "text",
                "Only procedures in this body region.",
                None,
                "REGION",
                REGIONS,
            ),
            Option(
                "imaging",
                ("--imaging",),
                "text",
                "Only procedures using this guidance.",
                None,
                "IMAGING",
                MODALITIES,
            ),
            Option(
                "risk",
                ("--risk",),
                "text",
                "Only this bleeding-risk class.",
                None,
                "CLASS",
                RISK_CLASSES,
            ),
            Option(
                "facets", ("--facets",), "flag", "List the values there are, with counts.", False
            ),
        ),
    ),
    Command(
        "export",
        "Write a handout (patient) or summary (clinician) as Markdown or self-contained HTML. "
        "Each argument is one name; quote a name of several words.",
        (
            "painref export medial-branch-rfa -o rfa.html",
            "painref export 'pain pump'",
            "painref export tfesi --for clinician --format markdown",
            "painref export mbb -o mbb.html --clinic-phone 555-0100 --date 2027-03-10 --time 9:30",
        ),
        Argument("names", "Procedure ids or names.", "procedures", join=False),
        (
            Option(
                "fmt",
                ("--format",),
                "text",
                "markdown or html (default: from the -o suffix, else markdown).",
                None,
                "FORMAT",
                ("markdown", "html"),
            ),
            Option(
                "output",
                ("--output", "-o"),
                "text",
                "File to write (default: stdout).",
                None,
                "FILE",
            ),
            Option("force", ("--force",), "flag", "Replace an existing file.", False),
            Option(
                "audience",
                ("--for",),
                "text",
                "patient (a take-home handout) or clinician (a summary). Default: the config "
                "file's handout.audience, else patient.",
                None,
                "WHO",
                ("patient", "clinician"),
            ),
            Option(
                "clinic_name",
                ("--clinic-name",),
                "text",
                "The clinic's name at the top of a patient handout (default: the config file's).",
                None,
                "NAME",
            ),
            Option(
                "clinic_phone",
                ("--clinic-phone",),
                "text",
                "The clinic's phone number, at the top and under 'Call your care team' "
                "(default: the config file's).",
                None,
                "PHONE",
            ),
            Option(
                "date",
                ("--date",),
                "text",
                "The procedure date (YYYY-MM-DD), printed with its weekday; left blank to fill "
                "in by hand when not given.",
                None,
                "DATE",
            ),
            Option(
                "time",
                ("--time",),
                "text",
                "The procedure time (such as 09:30 or 2:15 pm); left blank when not given.",
                None,
                "TIME",
            ),
        ),
    ),
    Command(
        "anticoag",
        "When to stop a blood thinner before a procedure and restart it after (ASRA Pain "
        "Medicine). Without a drug, lists the drugs. The decision belongs to the treating "
        "clinicians together with the prescriber.",
        (
            "painref anticoag apixaban -p 'lumbar medial branch block' --on 2027-03-10",
            "painref anticoag Plavix -p tfesi",
            "painref anticoag warfarin",
        ),
        Argument(
            "drug", "A drug in any words: apixaban, Eliquis, enoxaparin therapeutic.", "drugs"
        ),
        (
            Option(
                "procedure",
                ("--procedure", "-p"),
                "text",
                "A procedure id or name (a level in it, such as 'C5-6' or 'lumbar', is used).",
                None,
                "PROCEDURE",
                complete="procedures",
            ),
            Option(
                "region",
                ("--region",),
                "text",
                "The spinal level or region, where the class depends on it.",
                None,
                "REGION",
                REGIONS,
            ),
            Option(
                "on",
                ("--on",),
                "text",
                "The procedure date (YYYY-MM-DD): show the last "
                "dose day and the earliest restart as dates.",
                None,
                "DATE",
            ),
            Option(
                "high_bleeding_risk",
                ("--high-bleeding-risk",),
                "flag",
                "The patient is at high bleeding risk: apply the next class up.",
                False,
            ),
            Option(
                "crcl",
                ("--crcl",),
                "float",
                "Creatinine clearance in mL/min, where a rule "
                "depends on kidney function (dabigatran).",
                None,
                "ML_MIN",
            ),
        ),
    ),
    Command(
        "for",
        "What can be offered for a condition, in order: diagnostic step, treatment, next steps.",
        ("painref for sciatica", "painref for 'pain in my tailbone when sitting'"),
        Argument("text", "A condition in any words: sciatica, knee OA, CRPS.", "conditions"),
    ),
    Command(
        "conditions", "List the conditions `painref for` knows.", ("painref conditions",), None
    ),
    Command(
        "config",
        "Show the config file's path, the settings in force and where each came from; --init "
        "writes a commented starter file (never over an existing one).",
        ("painref config", "painref config --init", "PAINREF_CONFIG=clinic.toml painref config"),
        None,
        (
            Option(
                "init",
                ("--init",),
                "flag",
                "Write a starter config file with every setting commented out.",
                False,
            ),
        ),
    ),
    Command(
        "validate",
        "Check data files against the schema; report every problem with file, line and field.",
        ("painref validate my-protocols.yaml", "painref validate"),
        Argument(
            "files",
            "Data files to check (default: the bundled data and any overlays).",
            "files",
            join=False,
        ),
    ),
)

BY_NAME = {command.name: command for command in COMMANDS}
