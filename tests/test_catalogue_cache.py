"""Issue 14: the start-up cache of the built-in catalogue is never stale, never trusted blindly, never changes output."""
from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

import hamrehab
import hamrehab.catalogue as cat
from hamrehab import build_plan, load_catalogue, make_request, render_json, render_pdf
from hamrehab.catalogue import cache
from hamrehab.exceptions import ValidationFailed

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("HAMREHAB_CACHE_DIR", str(where))
    monkeypatch.delenv("HAMREHAB_NO_CACHE", raising=False)
    return where


@pytest.fixture
def builtin_copy(tmp_path, monkeypatch) -> Path:
    """The built-in folders copied, so a test can edit them as a developer or an upgrade would."""
    root = tmp_path / "builtin"
    for name in ("exercises", "protocols", "rules"):
        shutil.copytree(cat.ROOT / name, root / name)
    monkeypatch.setattr(cat, "BUILTIN_EXERCISES", root / "exercises")
    monkeypatch.setattr(cat, "BUILTIN_PROTOCOLS", root / "protocols")
    monkeypatch.setattr(cat, "BUILTIN_RULES", root / "rules" / "planning.yaml")
    monkeypatch.setattr(cat, "BUILTIN_RED_FLAGS", root / "rules" / "red-flags.yaml")
    monkeypatch.setattr(cat, "BUILTIN_TRIAGE", root / "rules" / "triage.yaml")
    return root


def _loads(monkeypatch) -> list[bool]:
    """Record whether each load was served from the cache."""
    served: list[bool] = []
    real = cache.load

    def spy(key):
        found = real(key)
        served.append(found is not None)
        return found

    monkeypatch.setattr(cache, "load", spy)
    return served


def _outputs(catalogue) -> tuple[bytes, bytes]:
    plan = build_plan(make_request({"diagnosis": "hamstring-strain", "grade": 2, "start": "2026-03-02", "weeks": 12}, today=TODAY), catalogue)
    return render_json(plan), render_pdf(plan)


def test_the_second_load_comes_from_the_cache_and_gives_the_same_bytes(cache_dir, monkeypatch):
    served = _loads(monkeypatch)
    first = load_catalogue()
    second = load_catalogue()
    assert served == [False, True]
    assert (cache_dir / cache.FILE_NAME).is_file()
    assert second.exercises.keys() == first.exercises.keys() and second == first
    monkeypatch.setenv("HAMREHAB_NO_CACHE", "1")
    uncached = load_catalogue()
    assert served == [False, True]  # turned off: not even looked at
    assert _outputs(second) == _outputs(uncached) == _outputs(first)


def test_a_cached_catalogue_is_read_only_like_a_fresh_one(cache_dir):
    load_catalogue()
    again = load_catalogue()
    with pytest.raises(TypeError):
        again.exercises["x"] = None  # type: ignore[index]


def test_an_edited_yaml_file_is_seen_at_once(cache_dir, builtin_copy, monkeypatch):
    served = _loads(monkeypatch)
    assert load_catalogue().exercises["chair-bridge"].name == "Chair bridge"
    path = builtin_copy / "exercises" / "chair-bridge.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Chair bridge", "name: Chair bridge, edited"), encoding="utf-8")
    assert load_catalogue().exercises["chair-bridge"].name == "Chair bridge, edited"
    assert load_catalogue().exercises["chair-bridge"].name == "Chair bridge, edited"
    assert served == [False, False, True]


def test_an_edit_that_breaks_a_file_is_reported_not_hidden_by_the_cache(cache_dir, builtin_copy):
    load_catalogue()
    path = builtin_copy / "exercises" / "chair-bridge.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("category:", "categroy:"), encoding="utf-8")
    with pytest.raises(hamrehab.ValidationFailed, match=r"chair-bridge\.yaml"):
        load_catalogue()


def test_another_version_of_hamrehab_or_pydantic_rebuilds(cache_dir, monkeypatch):
    served = _loads(monkeypatch)
    load_catalogue()
    monkeypatch.setattr(hamrehab, "__version__", "99.0.0")
    load_catalogue()
    import pydantic
    monkeypatch.setattr(pydantic, "VERSION", "0.0.1")
    load_catalogue()
    assert served == [False, False, False]


@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "empty", "garbage", "another key"])
def test_a_corrupt_cache_file_is_noticed_and_rebuilt(cache_dir, monkeypatch, damage):
    fresh = load_catalogue()
    path = cache_dir / cache.FILE_NAME
    data = path.read_bytes()
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "flipped byte":
        data = data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:]
    elif damage == "empty":
        data = b""
    elif damage == "garbage":
        data = os.urandom(4096)
    else:
        data = data.replace(data[len(cache.MAGIC):len(cache.MAGIC) + 8], b"00000000", 1)
    path.write_bytes(data)
    served = _loads(monkeypatch)
    assert load_catalogue() == fresh
    assert served == [False]
    assert load_catalogue() == fresh and served == [False, True]  # rewritten whole


def test_a_payload_with_a_matching_sum_that_this_code_cannot_read_is_rebuilt(cache_dir, monkeypatch):
    import hashlib
    load_catalogue()
    path = cache_dir / cache.FILE_NAME
    data = path.read_bytes()
    head = len(cache.MAGIC) + 64
    payload = b"\x80\x05not a pickle"
    path.write_bytes(data[:head] + hashlib.sha256(payload).hexdigest().encode() + payload)
    served = _loads(monkeypatch)
    assert load_catalogue().exercises and served == [False]


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="no user ids on this system")
@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_cache_others_could_write_is_never_opened(cache_dir, monkeypatch, what):
    """Unpickling runs code: a file (or folder) another user can write could carry theirs."""
    load_catalogue()
    target = cache_dir / cache.FILE_NAME if what == "file" else cache_dir
    target.chmod(0o666 if what == "file" else 0o777)
    served = _loads(monkeypatch)
    assert load_catalogue().exercises
    assert served == [False]
    if what == "folder":  # not written into either
        assert cache.load(cache.key(cat._builtin_files())) is None


def test_a_symlink_in_place_of_the_cache_is_not_followed(cache_dir, tmp_path, monkeypatch):
    load_catalogue()
    real = tmp_path / "elsewhere.pickle"
    (cache_dir / cache.FILE_NAME).rename(real)
    (cache_dir / cache.FILE_NAME).symlink_to(real)
    served = _loads(monkeypatch)
    load_catalogue()
    assert served == [False]


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    monkeypatch.setenv("HAMREHAB_CACHE_DIR", str(blocker / "cache"))
    assert load_catalogue().exercises
    assert load_catalogue().exercises


def test_a_clinicians_own_folder_is_never_cached(cache_dir, tmp_path, valid_text, monkeypatch):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "my-bridge.yaml").write_text(valid_text, encoding="utf-8")
    calls: list[tuple[str, object]] = []
    real = cache.store
    monkeypatch.setattr(cache, "store", lambda key, value: calls.append((key, value)) or real(key, value))
    assert "my-bridge" in load_catalogue([folder]).exercises
    (folder / "my-bridge.yaml").write_text(valid_text.replace("Test bridge", "Test bridge two"), encoding="utf-8")
    assert load_catalogue([folder]).exercises["my-bridge"].name == "Test bridge two"
    # only the built-in catalogue, under the built-in files' key, filled once by the first (cold) load
    assert [(key, "my-bridge" in value.exercises) for key, value in calls] == [(cat.cached_builtin()[0], False)]


def test_the_cli_gives_the_same_bytes_with_and_without_the_cache(cache_dir, tmp_path, runner, monkeypatch):
    from hamrehab.cli import main
    args = ["plan", "--diagnosis", "proximal-tendinopathy", "--start", "2026-03-02", "--weeks", "8", "--side", "left"]
    outs = []
    for setting in ("1", "", ""):  # off, then cold cache, then warm cache
        monkeypatch.setenv("HAMREHAB_NO_CACHE", setting)
        for fmt in ("json", "pdf"):
            out = tmp_path / f"{len(outs)}.{fmt}"
            result = runner.invoke(main, [*args, "--format", fmt, "-o", str(out)])
            assert result.exit_code == 0, result.output
            outs.append(out.read_bytes())
    assert outs[0] == outs[2] == outs[4] and outs[1] == outs[3] == outs[5]


BUILTIN_PARTS = [(cat.builtin_red_flags, "red_flags"), (cat.builtin_triage, "triage"), (cat.builtin_handout, "wording"),
                 (cat.builtin_rules, "rules")]


def _fresh(read):
    read.cache_clear()  # each is read once per process; read it again here
    try:
        return read()
    finally:
        read.cache_clear()


@pytest.mark.parametrize("read,part", BUILTIN_PARTS, ids=[p for _, p in BUILTIN_PARTS])
def test_the_shipped_rules_read_alone_equal_the_cached_catalogues(cache_dir, monkeypatch, read, part):
    """The safety screen reads the shipped red flags (and triage its rules) through the warm cache when it
    holds them, from the YAML files otherwise: both give the same validated rules."""
    served = _loads(monkeypatch)
    load_catalogue()  # fills the cache
    warm = load_catalogue()  # read from it
    from_cache = _fresh(read)
    assert served[-1] is True and from_cache is getattr(warm, part)
    monkeypatch.setenv("HAMREHAB_NO_CACHE", "1")
    from_files = _fresh(read)
    assert from_files is not from_cache and from_files == from_cache


def test_a_cache_file_read_once_is_not_read_again_while_unchanged(cache_dir, monkeypatch):
    load_catalogue()
    reads: list[Path] = []
    real = Path.read_bytes

    def spy(self):
        reads.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    first, second = load_catalogue(), load_catalogue()
    assert first is second and [p for p in reads if p.name == cache.FILE_NAME] == [cache_dir / cache.FILE_NAME]
    (cache_dir / cache.FILE_NAME).write_bytes(b"damaged")  # replaced: read again, found corrupt, rebuilt
    third = load_catalogue()
    assert third is not first and _outputs(third) == _outputs(first)


@pytest.mark.parametrize("read,attr,name", [(cat.builtin_red_flags, "BUILTIN_RED_FLAGS", "red-flags.yaml"),
                                             (cat.builtin_triage, "BUILTIN_TRIAGE", "triage.yaml"),
                                             (cat.builtin_handout, "BUILTIN_HANDOUT", "handout.yaml"),
                                             (cat.builtin_rules, "BUILTIN_RULES", "planning.yaml")],
                         ids=["red flags", "triage", "wording", "rules"])
@pytest.mark.parametrize("text", ["urgencies: [unclosed\n", "urgencies: {}\nflags: []\nquestions: []\nsources: [nope]\n"],
                         ids=["not YAML", "not the file's shape"])
def test_a_broken_shipped_rules_file_read_alone_is_reported_not_used(tmp_path, monkeypatch, read, attr, name, text):
    """With no cache to fall back on, the safety screen's own reading of a damaged shipped file stops with
    the file's problems rather than screening with half a list."""
    monkeypatch.setenv("HAMREHAB_NO_CACHE", "1")
    broken = tmp_path / name
    broken.write_text(text, encoding="utf-8")
    monkeypatch.setattr(cat, attr, broken)
    with pytest.raises(ValidationFailed) as info:
        _fresh(read)
    assert info.value.problems and all(p.file.endswith(name) for p in info.value.problems)


def _folder_cases(tmp_path: Path, valid_text: str) -> dict[str, tuple[Path, Path | None]]:
    """A clinician's folders (exercises, protocols): one adding an exercise, one replacing a built-in with limits a
    built-in protocol's dose breaks (its problem is in the built-in file), one with a broken file, one with a protocol."""
    def folder(name: str, files: dict[str, str]) -> Path:
        where = tmp_path / name
        where.mkdir()
        for file, text in files.items():
            (where / file).write_text(text, encoding="utf-8")
        return where

    shipped_bridge = (cat.ROOT / "exercises" / "single-leg-bridge.yaml").read_text(encoding="utf-8")
    narrower = shipped_bridge.replace("reps: [3, 12]", "reps: [8, 12]").replace("\n  reps: 8\n", "\n  reps: 10\n")
    assert narrower != shipped_bridge
    protocol = (cat.ROOT / "protocols" / "doms.yaml").read_text(encoding="utf-8").replace("id: doms\n", "")
    return {
        "adds": (folder("adds", {"my-bridge.yaml": valid_text}), None),
        "narrower": (folder("narrower", {"single-leg-bridge.yaml": narrower}), None),
        "broken": (folder("broken", {"bad.yaml": valid_text.replace("category: activation", "category: nonsense"),
                                     "my-bridge.yaml": valid_text}), None),
        "protocol": (folder("mine", {"my-bridge.yaml": valid_text}), folder("protos", {"doms.yaml": protocol})),
    }


def test_a_clinicians_folder_beside_the_cached_builtins_gives_what_a_full_validation_gives(cache_dir, tmp_path, valid_text,
                                                                                          monkeypatch):
    """With a warm cache, `validate --catalogue DIR` and plans from a folder take the built-in models from the cache and
    read only the clinician's files (a built-in file is read only to name the line of a problem in it); the catalogue,
    every problem (file, line, field, message) and every notice are those of a full validation without the cache."""
    import hamrehab.yamlsource as yamlsource

    cases = _folder_cases(tmp_path, valid_text)
    assert cat.cached_builtin()[1] is None  # a cold cache: the first folder fills it with the built-ins alone
    first = cat.check([cases["adds"][0]])
    assert cat.cached_builtin()[1] is not None and "my-bridge" not in cat.cached_builtin()[1].exercises
    read: list[str] = []
    real = yamlsource.read_yaml
    monkeypatch.setattr(yamlsource, "read_yaml", lambda path, *a: read.append(Path(path).name) or real(path, *a))
    for name, (exercises, protocols) in cases.items():
        read.clear()
        warm = cat.check([exercises], [protocols] if protocols else [])
        shipped_read = [f for f in read if not (exercises / f).exists() and not (protocols and (protocols / f).exists())]
        monkeypatch.setenv("HAMREHAB_NO_CACHE", "1")
        cold = cat.check([exercises], [protocols] if protocols else [])
        monkeypatch.delenv("HAMREHAB_NO_CACHE")
        assert warm == cold, name
        if name == "adds":
            assert first == warm
        if name == "narrower":  # read again: exactly the built-in protocols a problem is in, each once
            assert warm[0] is None and sorted(shipped_read) == sorted({Path(p.file).name for p in warm[1]})
            distal = (cat.ROOT / "protocols" / "distal-tendinopathy.yaml").read_text(encoding="utf-8").splitlines()
            line = distal.index("      - exercise: single-leg-bridge") + 2  # its dose, the line after
            assert any(p.file.endswith("distal-tendinopathy.yaml") and p.line == line and "reps" in p.field for p in warm[1]), warm[1]
            assert any("replaces the built-in exercise 'single-leg-bridge'" in n for n in warm[2])
        else:
            assert shipped_read == [], (name, shipped_read)
            assert (warm[0] is None) == (name == "broken")
