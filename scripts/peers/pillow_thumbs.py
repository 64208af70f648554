#!/usr/bin/env python3
"""Pillow peer for `skein bench --peers`: the classic tutorial's thumbnailer.

Every .jpg/.png/.gif in SOURCE becomes OUT/<stem>_thumbnail<suffix>, made with
Image.thumbnail((W, H)) on a ProcessPoolExecutor of N processes, as the tutorial does.
Usage: pillow_thumbs.py SOURCE OUT WIDTH HEIGHT PROCESSES
"""
import sys
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from PIL import Image

TYPES = {".jpg", ".jpeg", ".png", ".gif"}


def create_thumbnail(out, size, path):
    target = out / (path.stem + "_thumbnail" + path.suffix)
    with Image.open(path) as image:
        image.thumbnail(size)
        image.save(target)
    return target.name


def main():
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    size = (int(sys.argv[3]), int(sys.argv[4]))
    processes = int(sys.argv[5])
    out.mkdir(parents=True, exist_ok=True)
    paths = sorted(p for p in source.iterdir() if p.suffix.lower() in TYPES and not p.stem.endswith("_thumbnail"))
    with ProcessPoolExecutor(max_workers=processes) as executor:
        done = list(executor.map(partial(create_thumbnail, out, size), paths, chunksize=4))
    print(len(done))


if __name__ == "__main__":
    main()
