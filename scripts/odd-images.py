#!/usr/bin/env python3
"""Odd real-world image files, made here (nothing copied), and Pillow's verdict on them.

    odd-images.py make DIR    writes the files and DIR/expected.json (file -> "whole",
                              "benign" or "broken": what a careful tool should do with it)
    odd-images.py judge DIR   prints {file: {"ok": bool, "width", "height", "error"}}, what
                              Pillow makes of each file (opened and fully decoded)

The differential test (Tests/SkeinTests/OddImagesTests.swift) holds Skein's thumbnailer
against Pillow over these files and reports how often they agree.
"""
import io, json, os, struct, sys, zlib


def photo(width, height, mode="RGB"):
    """A picture with gradients and edges (not flat: the entropy coder has work to do)."""
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    for y in range(height):
        for x in range(width):
            pixels[x, y] = ((x * 255) // width, (y * 255) // height, ((x ^ y) * 7) & 255)
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, width * 3 // 4, height * 3 // 4), outline=(255, 255, 255), width=3)
    return image.convert(mode)


def encoded(image, format, **options):
    out = io.BytesIO()
    image.save(out, format, **options)
    return out.getvalue()


def jpeg_segments(data):
    """(offset, marker, length) of each header segment up to start of scan."""
    at, found = 2, []
    while at + 4 <= len(data):
        marker = data[at + 1]
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        found.append((at, marker, length))
        if marker == 0xDA:
            break
        at += 2 + length
    return found


def insert_before_marker(data, marker, junk):
    at = next(offset for offset, m, _ in jpeg_segments(data) if m == marker)
    return data[:at] + junk + data[at:]


def with_app2_icc(data, profile_body):
    """The JPEG with an APP2 ICC_PROFILE segment (one chunk of one) right after SOI."""
    body = b"ICC_PROFILE\0" + bytes([1, 1]) + profile_body
    return data[:2] + b"\xff\xe2" + struct.pack(">H", len(body) + 2) + body + data[2:]


def scan_start(data):
    offset, _, length = jpeg_segments(data)[-1]
    return offset + 2 + length


def png_chunks(data):
    at, found = 8, []
    while at + 12 <= len(data):
        length = struct.unpack(">I", data[at:at + 4])[0]
        found.append((at, data[at + 4:at + 8], length))
        at += 12 + length
    return found


def gif_without_palette(width, height):
    """A GIF89a with no global and no local colour table: browsers and Pillow use a default."""
    from PIL import Image
    indices = Image.new("L", (width, height))
    pixels = indices.load()
    for y in range(height):
        for x in range(width):
            pixels[x, y] = (x + y) & 0xFF
    # Let Pillow LZW-encode a palette image, then take its table out.
    data = encoded(indices.convert("P", palette=Image.ADAPTIVE, colors=256), "GIF")
    flags = data[10]
    assert flags & 0x80, "Pillow wrote no global colour table"
    table = 3 * (2 << (flags & 7))
    stripped = data[:10] + bytes([flags & 0x70]) + data[11:13] + data[13 + table:]
    # No local tables in Pillow's single frame either.
    return stripped


def make(folder):
    from PIL import Image, ImageCms
    os.makedirs(folder, exist_ok=True)
    files = {}

    def put(name, verdict, data):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
        files[name] = verdict

    rgb = photo(320, 240)
    jpeg = encoded(rgb, "JPEG", quality=88)
    png = encoded(rgb, "PNG")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()

    # Files any decoder should show.
    put("plain.jpg", "whole", jpeg)
    put("progressive.jpg", "whole", encoded(rgb, "JPEG", quality=80, progressive=True))
    put("gray.jpg", "whole", encoded(photo(200, 150, "L"), "JPEG"))
    put("cmyk.jpg", "whole", encoded(photo(160, 120, "CMYK"), "JPEG"))
    put("srgb-profile.jpg", "whole", encoded(rgb, "JPEG", icc_profile=srgb))
    put("rotated.jpg", "whole", encoded(rgb, "JPEG", exif=bytes.fromhex(
        "457869660000" "4d4d002a00000008" "0001" "011200030000000100060000" "00000000")))
    put("plain.png", "whole", png)
    put("palette.png", "whole", encoded(rgb.convert("P", palette=Image.ADAPTIVE), "PNG"))
    put("rgba.png", "whole", encoded(rgb.convert("RGBA"), "PNG"))
    put("gray16.png", "whole", encoded(photo(120, 90, "L").convert("I;16"), "PNG"))
    put("plain.gif", "whole", encoded(rgb.convert("P", palette=Image.ADAPTIVE), "GIF"))

    # Benign oddities real files have.
    put("junk-before-dqt.jpg", "benign", insert_before_marker(jpeg, 0xDB, b"\x00\x13\x37"))
    put("junk-before-sos.jpg", "benign", insert_before_marker(jpeg, 0xDA, b"\x0a\x0d\x0a\x0d"))
    put("junk-before-sof.jpg", "benign", insert_before_marker(jpeg, 0xC0, b"\x20"))
    put("broken-icc.jpg", "benign", with_app2_icc(jpeg, b"this is not an ICC profile at all" * 4))
    put("icc-cut-short.jpg", "benign", with_app2_icc(jpeg, srgb[:len(srgb) // 3]))
    put("no-palette.gif", "benign", gif_without_palette(96, 64))

    # Broken files: cut short or damaged where the picture is.
    put("half.jpg", "broken", jpeg[:len(jpeg) // 2])
    put("no-eoi.jpg", "broken", jpeg[:-2])
    start = scan_start(jpeg)
    put("header-only.jpg", "broken", jpeg[:start + 16])
    put("half.png", "broken", png[:len(png) // 2])
    idat = next(at for at, kind, _ in png_chunks(png) if kind == b"IDAT")
    damaged = bytearray(png)
    for k in range(40):
        damaged[idat + 8 + 100 + k] ^= 0x5A
    put("damaged-idat.png", "broken", bytes(damaged))
    gif = encoded(rgb.convert("P", palette=Image.ADAPTIVE), "GIF")
    put("half.gif", "broken", gif[:len(gif) // 2])

    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(files, f, indent=1, sort_keys=True)


def judge(folder):
    from PIL import Image
    verdicts = {}
    for name in sorted(os.listdir(folder)):
        if name == "expected.json":
            continue
        try:
            with Image.open(os.path.join(folder, name)) as image:
                image.load()
                verdicts[name] = {"ok": True, "width": image.width, "height": image.height}
        except Exception as error:  # every failure is a verdict, whatever Pillow raises
            verdicts[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"}
    json.dump(verdicts, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("make", "judge"):
        sys.exit(__doc__)
    (make if sys.argv[1] == "make" else judge)(sys.argv[2])
