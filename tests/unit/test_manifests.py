"""The Slack app manifest and the Teams app package validate against the platforms' JSON schemas."""
from __future__ import annotations

import copy
import json
import struct
import zipfile
import zlib
from pathlib import Path

import jsonschema
import pytest
import yaml

from handlers.parsing import SEARCH_COMMAND

from bot.teams_package import build_teams_package, normalise_host, render_manifest

REPO = Path(__file__).resolve().parent.parent.parent
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
DUMMY_APP_ID = "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"
DUMMY_HOST = "hire.example.com"


def load_schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def slack_validator() -> jsonschema.Draft7Validator:
    schema = load_schema("slack-app-manifest.schema.json")
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def teams_validator() -> jsonschema.Draft7Validator:
    # The file declares draft-04 but uses "const" (draft-06+) for manifestVersion; a Draft4Validator silently ignores
    # it. Draft 7 is a superset of what the file uses (no boolean exclusiveMinimum, no string "id" keywords).
    # check_schema() would fail: one pattern (Office add-in extension function names) is an ECMAScript regex with
    # \p{L}, which Python's re cannot compile. So check the structure against the meta-schema without format checks;
    # our manifest never reaches that pattern.
    schema = load_schema("teams-app-manifest-v1.25.schema.json")
    jsonschema.Draft7Validator(jsonschema.Draft7Validator.META_SCHEMA).validate(schema)
    return jsonschema.Draft7Validator(schema)


def messages(validator, instance) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(instance)]


# ---- Slack ----------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def slack_manifest() -> dict:
    return yaml.safe_load((REPO / "manifest.yml").read_text(encoding="utf-8"))


def test_slack_manifest_validates(slack_manifest):
    assert messages(slack_validator(), slack_manifest) == []


def test_slack_manifest_content(slack_manifest):
    assert slack_manifest["display_information"]["name"] == "Internal Hire"
    features = slack_manifest["features"]
    assert features["bot_user"]["display_name"] == "Internal Hire"
    assert features["app_home"]["messages_tab_enabled"] is True
    assert features["app_home"]["home_tab_enabled"] is True              # App Home: views.publish per role
    command, openings, new_jd = features["slash_commands"]
    assert command["command"] == SEARCH_COMMAND and new_jd["command"] == "/new-jd"
    assert openings["command"] == "/openings" and openings["url"] == command["url"] and openings["usage_hint"]
    assert new_jd["url"] == command["url"]
    assert command["url"] == "https://YOUR-HOST/slack/events"
    assert command["should_escape"] is False and command["usage_hint"]
    assert set(slack_manifest["oauth_config"]["scopes"]["bot"]) == {
        "commands", "chat:write", "im:history", "im:write", "app_mentions:read", "users:read", "users:read.email",
        "files:read"}
    settings = slack_manifest["settings"]
    assert settings["event_subscriptions"]["request_url"] == "https://YOUR-HOST/slack/events"
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_home_opened", "app_mention", "message.im"}
    assert settings["interactivity"] == {"is_enabled": True, "request_url": "https://YOUR-HOST/slack/events"}
    assert settings["socket_mode_enabled"] is False
    assert "Socket Mode" in (REPO / "manifest.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("mutate", [
    lambda m: m["features"]["slash_commands"][0].update(command="find-candidates"),    # must start with /
    lambda m: m["settings"]["interactivity"].pop("is_enabled"),
    lambda m: m["display_information"].update(name="x" * 36),
    lambda m: m["settings"].update(socket_mode="yes"),
])
def test_slack_schema_rejects_broken_manifests(slack_manifest, mutate):
    broken = copy.deepcopy(slack_manifest)
    mutate(broken)
    assert messages(slack_validator(), broken)


# ---- Teams ----------------------------------------------------------------------------------------------------------
def read_png(data: bytes) -> tuple[int, int, bytes]:
    """(width, height, RGBA pixels) of an 8-bit RGBA, non-interlaced PNG, checking every chunk's CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        tag, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(tag + body) & 0xFFFFFFFF == crc, tag
        chunks.append((tag, body))
        pos += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour, interlace) == (8, 6, 0)
    raw = zlib.decompress(b"".join(body for tag, body in chunks if tag == b"IDAT"))
    stride = width * 4
    assert len(raw) == height * (stride + 1)
    rows = [raw[y * (stride + 1):(y + 1) * (stride + 1)] for y in range(height)]
    assert all(row[0] == 0 for row in rows)          # filter type 0: the pixels are the bytes
    return width, height, b"".join(row[1:] for row in rows)


@pytest.fixture
def package(tmp_path) -> Path:
    return build_teams_package(DUMMY_APP_ID, tmp_path / "out" / "internal-hire.zip", f"https://{DUMMY_HOST}/")


def test_teams_package_contents(package):
    assert package.is_file() and zipfile.is_zipfile(package)
    with zipfile.ZipFile(package) as zf:
        assert sorted(zf.namelist()) == ["color.png", "manifest.json", "outline.png"]   # at the root of the zip
        manifest = json.loads(zf.read("manifest.json"))
        color, outline = zf.read("color.png"), zf.read("outline.png")

    assert messages(teams_validator(), manifest) == []
    assert manifest["$schema"] == "https://developer.microsoft.com/json-schemas/teams/v1.25/MicrosoftTeams.schema.json"
    assert manifest["manifestVersion"] == "1.25"
    assert manifest["id"] == DUMMY_APP_ID
    [bot] = manifest["bots"]
    assert bot["botId"] == DUMMY_APP_ID and set(bot["scopes"]) == {"personal", "team"}
    commands = {c["title"]: c["description"] for cl in bot["commandLists"] for c in cl["commands"]}
    assert set(commands) == {"find candidates", "help", "shortlist", "my profile", "gap", "compare", "new jd",
                             "jd status", "openings", "home"}
    assert bot["supportsFiles"] is True                                          # resumes arrive as files
    assert "e.g. find candidates " in commands["find candidates"]
    assert manifest["validDomains"] == [DUMMY_HOST]
    assert "{{" not in json.dumps(manifest)

    width, height, pixels = read_png(color)
    assert (width, height) == (192, 192)
    assert all(a == 255 for a in pixels[3::4])                                   # opaque
    width, height, pixels = read_png(outline)
    assert (width, height) == (32, 32)
    alphas = pixels[3::4]
    assert 0 in alphas and 255 in alphas                                          # transparent background, a glyph
    visible = [pixels[i:i + 3] for i in range(0, len(pixels), 4) if pixels[i + 3]]
    assert set(visible) == {b"\xff\xff\xff"}                                      # white only


def test_teams_package_into_a_directory(tmp_path):
    path = build_teams_package(DUMMY_APP_ID, tmp_path, DUMMY_HOST)
    assert path == tmp_path / "internal-hire-teams.zip" and zipfile.is_zipfile(path)


def test_teams_template_is_the_repository_file():
    template = json.loads((REPO / "bot" / "teams" / "app_package" / "manifest.json").read_text(encoding="utf-8"))
    assert template["id"] == "{{APP_ID}}" and template["validDomains"] == ["{{HOST}}"]
    for name, size in (("color.png", 192), ("outline.png", 32)):
        assert read_png((REPO / "bot" / "teams" / "app_package" / name).read_bytes())[:2] == (size, size)


@pytest.mark.parametrize("mutate", [
    lambda m: m.update(manifestVersion="1.24"),          # "const": enforced only because we validate as draft 7
    lambda m: m.update(id="not-a-guid"),
    lambda m: m["bots"][0].update(scopes=["everywhere"]),
    lambda m: m.update(accentColor="blue"),
    lambda m: m["bots"][0]["commandLists"][0]["commands"][0].pop("description"),
])
def test_teams_schema_rejects_broken_manifests(mutate):
    manifest = render_manifest(DUMMY_APP_ID, DUMMY_HOST)
    mutate(manifest)
    assert messages(teams_validator(), manifest)


def test_teams_schema_has_an_ecmascript_only_pattern():
    """Why teams_validator() skips check_schema(): Python's re rejects \\p{L}."""
    with pytest.raises(jsonschema.exceptions.SchemaError, match=r"p\{L\}"):
        jsonschema.Draft7Validator.check_schema(load_schema("teams-app-manifest-v1.25.schema.json"))


def test_teams_draft4_would_miss_the_manifest_version():
    """Why teams_validator() does not use the draft the file declares."""
    schema = load_schema("teams-app-manifest-v1.25.schema.json")
    assert schema["$schema"].startswith("http://json-schema.org/draft-04/")
    manifest = render_manifest(DUMMY_APP_ID, DUMMY_HOST)
    manifest["manifestVersion"] = "1.24"
    assert list(jsonschema.Draft4Validator(schema).iter_errors(manifest)) == []


@pytest.mark.parametrize("app_id, host", [("not-a-guid", DUMMY_HOST), (DUMMY_APP_ID, "https://x.example.com/path"),
                                          (DUMMY_APP_ID, ""), (DUMMY_APP_ID, "bad host")])
def test_teams_package_rejects_bad_input(tmp_path, app_id, host):
    with pytest.raises(ValueError):
        build_teams_package(app_id, tmp_path / "x.zip", host)
    assert not (tmp_path / "x.zip").exists()


@pytest.mark.parametrize("host, expected", [("https://Hire.Example.com/", "hire.example.com"),
                                            ("hire.example.com", "hire.example.com"),
                                            ("abc123.ngrok-free.app", "abc123.ngrok-free.app")])
def test_normalise_host(host, expected):
    assert normalise_host(host) == expected
