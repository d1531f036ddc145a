"""The impact-ratio chart (matplotlib, headless): one panel per category, a bar per group and stage, the 0.8 line.

Labels are in the reader's language. Korean needs a font with Hangul: NanumGothic (SIL Open Font License 1.1), which
the `koreanize-matplotlib` package ships. We only read its font file (found without importing the package, which would
change matplotlib's global settings); without it the chart falls back to DejaVu Sans and Hangul would show as boxes.
"""
from __future__ import annotations

import importlib.util
import io
from functools import lru_cache
from pathlib import Path

from core.impact_report import FOUR_FIFTHS, TEXT, ImpactReport, group_label

_COLOURS = ("#4C72B0", "#DD8452", "#55A868", "#C44E52")


@lru_cache(maxsize=1)
def korean_font_path() -> str | None:
    """NanumGothic from the koreanize-matplotlib package, or None when it is not installed."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / "NanumGothic.ttf"
    return str(path) if path.exists() else None


def _font():
    from matplotlib import font_manager

    path = korean_font_path()
    if path is None:
        return font_manager.FontProperties(family="DejaVu Sans")
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path)


def render_chart(report: ImpactReport, lang: str = "en", small: bool = False) -> bytes:
    """PNG bytes. `small` makes a compact image for chat cards (few colours, low resolution)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    font = _font()
    categories = report.categories or ["—"]
    width = 6.4 if small else 9.0
    fig = Figure(figsize=(width, 1.0 + 1.9 * len(categories)), dpi=70 if small else 110)
    axes = fig.subplots(len(categories), 1, squeeze=False)[:, 0]
    for ax, category in zip(axes, categories):
        groups: list[str] = []
        for stage in report.stages:
            for row in stage.rows:
                if row.category == category and row.impact_ratio is not None and row.group not in groups:
                    groups.append(row.group)
        n_stages = max(1, len(report.stages))
        bar = 0.8 / n_stages
        for k, stage in enumerate(report.stages):
            ratios = {r.group: r.impact_ratio for r in stage.rows if r.category == category and r.impact_ratio is not None}
            xs = [i + (k - (n_stages - 1) / 2) * bar for i in range(len(groups))]
            ax.bar(xs, [ratios.get(g, 0.0) for g in groups], width=bar, color=_COLOURS[k % len(_COLOURS)],
                   label=stage.label[lang])
        ax.axhline(FOUR_FIFTHS, color="#C00000", linestyle="--", linewidth=1.2, label=TEXT["four_fifths"][lang])
        ax.set_xticks(range(len(groups)))
        ax.set_xticklabels([group_label(g, lang) for g in groups], fontproperties=font)
        ax.set_ylim(0, 1.15)
        ax.set_ylabel(TEXT["ratio_axis"][lang], fontproperties=font)
        ax.set_title(category, fontproperties=font, loc="left")
    handles, labels = axes[0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="lower center", ncol=len(labels), prop=font, frameon=False)
    fig.suptitle(f"{TEXT['title'][lang]} ({report.since} – {report.until})", fontproperties=font,
                 fontsize=10 if small else 12)
    fig.tight_layout(rect=(0, 0.06, 1, 0.97))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    data = buffer.getvalue()
    return _quantised(data) if small else data


def _quantised(png: bytes) -> bytes:
    """Fewer colours, much smaller file: chat cards carry the image inline (Teams cards must stay under 40 KB)."""
    try:
        from PIL import Image
    except ImportError:          # Pillow comes with matplotlib; keep the full image if it does not
        return png
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=32)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue() if out.tell() < len(png) else png


def write_chart(report: ImpactReport, directory: Path, lang: str = "en") -> Path:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"fairness-impact-ratios-{report.since}-{report.until}-{lang}.png"
    path.write_bytes(render_chart(report, lang))
    return path


def render_bars(title: str, labels: list[str], series: list[tuple[str, list[float]]], axis_label: str = "",
                small: bool = False) -> bytes:
    """A horizontal grouped bar chart (PNG bytes) for the weekly digest: one row per label, one bar per series.
    Labels and titles come already in the reader's language; Korean uses the same NanumGothic as the impact chart."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    font = _font()
    labels = labels or ["—"]
    fig = Figure(figsize=(6.4 if small else 8.0, 1.2 + 0.42 * len(labels)), dpi=70 if small else 110)
    ax = fig.subplots()
    n = max(1, len(series))
    bar = 0.8 / n
    for k, (name, values) in enumerate(series):
        ys = [i + (k - (n - 1) / 2) * bar for i in range(len(labels))]
        ax.barh(ys, values, height=bar, color=_COLOURS[k % len(_COLOURS)], label=name)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontproperties=font)
    ax.invert_yaxis()
    if axis_label:
        ax.set_xlabel(axis_label, fontproperties=font)
    ax.set_title(title, fontproperties=font, loc="left")
    if n > 1:
        ax.legend(prop=font, frameon=False, loc="lower right")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    data = buffer.getvalue()
    return _quantised(data) if small else data
