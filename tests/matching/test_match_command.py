"""`seuil match`: writes a seuil-matching-result/1 file; French errors, non-zero status."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.matching.test_known_cases import example


@pytest.fixture
def write(tmp_path):
    def write(content, name="instance.json"):
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        return str(path)

    return write


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("match", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("method", ["optimal", "greedy", "serial"])
def test_a_valid_instance_gives_a_result_file(write, tmp_path, method):
    output = tmp_path / "plan.json"
    out, err = run("--instance", write(example()), "--output", str(output), "--method", method)
    result = json.loads(output.read_text(encoding="utf-8"))
    assert result["format"] == "seuil-matching-result/1"
    assert result["method"] == method
    assert {"assignments", "unassigned_households", "objective", "eligible_pairs"} <= set(result)
    assert set(result["excluded_pairs_by_rule"]) == {
        "occupancy", "rent", "accessible", "shared", "wishes", "refused",
    }  # fmt: skip
    assert "2 ménages placés sur 3, score total 1331" in out
    assert err == ""


def test_an_invalid_instance_is_refused_in_french(write, tmp_path):
    document = example()
    document["households"][3 - 1]["max_rent"] = "cher"
    output = tmp_path / "plan.json"
    with pytest.raises(CommandError) as caught:
        run("--instance", write(document), "--output", str(output))
    assert str(caught.value) == "Instance refusée : 1 erreur, aucun calcul fait."
    assert not output.exists()


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("{pas du json", "JSON invalide (ligne 1, colonne 2)"),
        ("[]", "le document doit être un objet JSON"),
    ],
)
def test_an_unreadable_file_is_refused_in_french(write, tmp_path, content, line):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "match", "--instance", write(content), "--output", str(tmp_path / "x.json"), stderr=err
        )
    assert err.getvalue().startswith(line)


def test_the_console_script_exits_non_zero_on_an_invalid_instance(write, tmp_path):
    document = example()
    document["units"][0]["typology"] = "T9"
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "seuil.cli", "match", "--instance", write(document),
         "--output", str(tmp_path / "plan.json")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode != 0
    assert "units[0].typology : typologie inconnue « T9 »" in completed.stderr, completed.stderr
    assert "Traceback" not in completed.stderr


def test_the_command_solves_an_instance_with_a_priority_share(write, tmp_path):
    document = example()
    document["constraints"] = {"min_priority_share": {"min_points": 10, "share": 0.5}}
    output = tmp_path / "plan.json"
    run("--instance", write(document), "--output", str(output))
    result = json.loads(output.read_text(encoding="utf-8"))
    assert result["constraints"]["min_priority_share"]["satisfied"]
    assert result["bound_source"] in ("highs_lp", "lagrangian")
