"""`gongkai init DIR`: a new archive with a config, one example report and an empty layouts/.

The example is a draft: an archive started from it and published at once must not show an invented
agency's report to readers.
"""

from __future__ import annotations

from pathlib import Path

CONFIG = """\
# Gongkai archive settings. Every key is optional; unknown keys are errors.
title: 政府信息公开报告档案
description: 政府信息公开工作年度报告与政务公开自查报告汇编
language: zh-CN          # zh-CN, zh-TW or en: the language of labels readers see
content_dir: content
output_dir: site
# base_url: https://archive.example.org/gongkai/   # only for sitemap.xml; pages never need it
# defaults:
#   disclosure: 主动公开   # 公开属性 for reports that do not state one
"""

EXAMPLE_NAME = "example-draft.md"
EXAMPLE = """\
---
# An example to copy: a draft, so `gongkai build` withholds it and lists it as withheld.
# `gongkai build --drafts` previews it in site-drafts/. Removing the `draft: true` line publishes it.
draft: true
title: 示例市民政局2024年政府信息公开工作年度报告
agency: 示例市民政局
region: [示例省, 示例市]
year: 2024
doc_number: "示民〔2025〕1号"
date: 2025-01-20
disclosure: 主动公开
kind: 政府信息公开工作年度报告
---

本报告依据《中华人民共和国政府信息公开条例》编制。

## 一、总体情况

2024年，示例市民政局坚持以公开为常态、不公开为例外。

## 二、存在的主要问题及改进情况

下一步，我局将进一步丰富公开内容。
"""


class ScaffoldError(Exception):
    pass


def scaffold(folder: Path) -> Path:
    """Create the archive in ``folder``; refuse to touch one that already holds an archive."""
    if (folder / "config.yaml").exists() or (folder / "content").exists():
        raise ScaffoldError(f"{folder} already holds an archive (config.yaml or content/ exists)")
    (folder / "content").mkdir(parents=True)
    (folder / "layouts").mkdir()
    (folder / "config.yaml").write_text(CONFIG, encoding="utf-8")
    (folder / "content" / EXAMPLE_NAME).write_text(EXAMPLE, encoding="utf-8")
    return folder
