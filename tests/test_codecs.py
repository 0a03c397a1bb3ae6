"""Payload codecs: every kind of good payload, every kind of bad one, and fuzzing."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hmi.adapters.codecs import TopicDecoder, parse_quality, parse_timestamp
from hmi.domain.plant import Codec, CodecKind, DataType, MqttBinding, TagDef
from hmi.domain.quality import Quality

LIMIT = 1024


def tag(tag_id: str, codec: Codec, data_type: DataType = DataType.FLOAT) -> tuple[TagDef, Codec]:
    return TagDef(tag_id, tag_id, "src", MqttBinding("t", codec), data_type=data_type), codec


def decode_one(payload: bytes, codec: Codec, data_type: DataType = DataType.FLOAT):  # type: ignore[no-untyped-def]
    samples, rejection = TopicDecoder([tag("x", codec, data_type)], LIMIT).decode(
        payload, 100.0, 5.0
    )
    return samples[0], rejection


@pytest.mark.parametrize(
    ("payload", "data_type", "value"),
    [
        (b"42", DataType.FLOAT, 42.0),
        (b" -3.5e2 ", DataType.FLOAT, -350.0),
        (b"7", DataType.INT, 7),
        (b"7.0", DataType.INT, 7),
        (b"12.5", DataType.STRING, "12.5"),
    ],
)
def test_number_codec(payload: bytes, data_type: DataType, value: object) -> None:
    sample, rejection = decode_one(payload, Codec(CodecKind.NUMBER), data_type)
    assert (sample.value, sample.quality, rejection) == (value, Quality.GOOD, "")
    assert sample.source_ts == sample.recv_ts == 100.0


@pytest.mark.parametrize(
    ("payload", "value"),
    [
        (b"true", True),
        (b"ON", True),
        (b"1", True),
        (b"false", False),
        (b"off", False),
        (b"0", False),
    ],
)
def test_bool_codec(payload: bytes, value: bool) -> None:
    sample, _ = decode_one(payload, Codec(CodecKind.BOOL), DataType.BOOL)
    assert sample.value is value


def test_string_codec_keeps_text() -> None:
    sample, _ = decode_one("Stopped – jam".encode(), Codec(CodecKind.STRING), DataType.STRING)
    assert sample.value == "Stopped – jam"


def test_json_codec_reads_value_time_and_quality_at_their_paths() -> None:
    codec = Codec(CodecKind.JSON, ("data", "values", 1), ("meta", "ts"), ("meta", "q"))
    payload = json.dumps(
        {"data": {"values": [1, 2.5]}, "meta": {"ts": 1795341600123, "q": 0x40000000}}
    ).encode()
    sample, rejection = decode_one(payload, codec)
    assert (sample.value, sample.quality, rejection) == (2.5, Quality.UNCERTAIN, "")
    assert sample.source_ts == pytest.approx(1795341600.123)


def test_one_document_feeds_many_tags_and_a_bad_path_spoils_only_its_tag() -> None:
    decoder = TopicDecoder(
        [tag("a", Codec(CodecKind.JSON, ("a",))), tag("b", Codec(CodecKind.JSON, ("b",)))], LIMIT
    )
    samples, rejection = decoder.decode(b'{"a": 1}', 1.0, 1.0)
    assert samples[0].value == 1.0 and samples[0].quality is Quality.GOOD
    assert samples[1].quality is Quality.BAD and samples[1].value is None
    assert rejection == "no field 'b' in the payload"


@pytest.mark.parametrize(
    ("payload", "data_type", "reason"),
    [
        (b"[1,", DataType.FLOAT, "not JSON"),
        (b'{"v": true}', DataType.FLOAT, "expected a number, got true"),
        (b'{"v": "x"}', DataType.INT, "expected an integer"),
        (b'{"v": 1.5}', DataType.INT, "expected an integer, got 1.5"),
        (b'{"v": 2}', DataType.BOOL, "expected true or false"),
        (b'{"v": {"deep": 1}}', DataType.STRING, "expected text"),
        (b'{"v": 1e400}', DataType.FLOAT, "not a finite number"),
        (b'{"v": NaN}', DataType.FLOAT, "not a finite number"),
        (b"[" * 5000 + b"]" * 5000, DataType.FLOAT, "too large"),
    ],
)
def test_bad_json_payloads_are_bad_quality_with_a_reason(
    payload: bytes, data_type: DataType, reason: str
) -> None:
    limit = 64 * 1024 if reason != "too large" else 1024
    codec = Codec(CodecKind.JSON, ("v",))
    samples, rejection = TopicDecoder([tag("x", codec, data_type)], limit).decode(payload, 1.0, 1.0)
    assert samples[0].quality is Quality.BAD and samples[0].value is None
    assert reason in samples[0].reason and reason in rejection


def test_deeply_nested_json_is_refused_not_a_crash() -> None:
    payload = b"[" * 100_000 + b"]" * 100_000
    samples, rejection = TopicDecoder([tag("x", Codec(CodecKind.JSON, ("v",)))], 10**6).decode(
        payload, 1.0, 1.0
    )
    assert samples[0].quality is Quality.BAD and rejection == "not JSON"


@pytest.mark.parametrize(
    ("raw", "epoch"),
    [
        ("2026-11-22T10:00:00Z", 1795341600.0),
        ("2026-11-22T11:00:00.250+01:00", 1795341600.25),
        (1795341600, 1795341600.0),
        (1795341600250, 1795341600.25),
    ],
)
def test_timestamps(raw: object, epoch: float) -> None:
    assert parse_timestamp(raw) == pytest.approx(epoch)


@pytest.mark.parametrize("raw", ["2026-11-22T10:00:00", "soon", True, -5, None, float("inf")])
def test_bad_timestamps(raw: object) -> None:
    with pytest.raises(ValueError, match="time stamp"):
        parse_timestamp(raw)


@pytest.mark.parametrize(
    ("raw", "quality"),
    [
        ("GOOD", Quality.GOOD),
        ("bad", Quality.BAD),
        (True, Quality.GOOD),
        (False, Quality.BAD),
        (0, Quality.GOOD),
        (0x80340000, Quality.BAD),
        (0x408F0000, Quality.UNCERTAIN),
    ],
)
def test_qualities(raw: object, quality: Quality) -> None:
    assert parse_quality(raw) is quality


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)
codecs = st.builds(
    Codec,
    st.sampled_from(list(CodecKind)),
    st.lists(st.one_of(st.sampled_from(["v", "ts", "q", "a"]), st.integers(-2, 3)), max_size=3).map(
        tuple
    ),
    st.none() | st.just(("ts",)),
    st.none() | st.just(("q",)),
)


@settings(max_examples=300, deadline=None)
@given(
    payload=st.one_of(
        st.binary(max_size=300),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.fixed_dictionaries({"v": json_values, "ts": json_values, "q": json_values}).map(
            lambda d: json.dumps(d).encode()
        ),
    ),
    codec=codecs,
    data_type=st.sampled_from(list(DataType)),
)
def test_fuzz_decoding_never_raises_and_never_yields_a_bad_good_value(
    payload: bytes, codec: Codec, data_type: DataType
) -> None:
    samples, rejection = TopicDecoder([tag("x", codec, data_type)], 200).decode(payload, 1.0, 1.0)
    (sample,) = samples
    if sample.quality is Quality.BAD and sample.value is None:
        assert sample.reason and rejection == sample.reason
        return
    assert rejection == ""
    expected = {DataType.FLOAT: float, DataType.INT: int, DataType.BOOL: bool, DataType.STRING: str}
    assert type(sample.value) is expected[data_type]
    if isinstance(sample.value, float):
        assert math.isfinite(sample.value)
    assert math.isfinite(sample.source_ts)
