// EXIF orientation: read from the TIFF structure of an Exif segment, applied to the finished
// thumbnail.
#include "internal.h"
#include <stdlib.h>
#include <string.h>

static unsigned read16(const uint8_t *p, int big) { return big ? (p[0] << 8) | p[1] : (p[1] << 8) | p[0]; }
static uint32_t read32(const uint8_t *p, int big) {
    return big ? ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3]
               : ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0];
}

int thumb_exif_orientation(const uint8_t *tiff, size_t length) {
    if (length < 8) return 1;
    int big;
    if (tiff[0] == 'M' && tiff[1] == 'M') big = 1;
    else if (tiff[0] == 'I' && tiff[1] == 'I') big = 0;
    else return 1;
    if (read16(tiff + 2, big) != 42) return 1;
    uint32_t ifd = read32(tiff + 4, big);
    if (ifd > length || length - ifd < 2) return 1;
    unsigned entries = read16(tiff + ifd, big);
    for (unsigned i = 0; i < entries; i++) {
        size_t at = (size_t)ifd + 2 + (size_t)i * 12;
        if (at + 12 > length) return 1;
        if (read16(tiff + at, big) != 0x0112) continue;
        unsigned type = read16(tiff + at + 2, big);
        if (type != 3) return 1;   // SHORT
        unsigned value = read16(tiff + at + 8, big);
        return value >= 1 && value <= 8 ? (int)value : 1;
    }
    return 1;
}

int thumb_orient(const thumb_image *in, int orientation, thumb_image *out) {
    int w = in->width, h = in->height, ch = in->channels;
    int swap = orientation >= 5 && orientation <= 8;
    out->width = swap ? h : w;
    out->height = swap ? w : h;
    out->channels = ch;
    out->pixels = malloc((size_t)w * h * ch);
    if (!out->pixels) return -1;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            // Where the stored pixel (x, y) is displayed (EXIF 2.3, Orientation).
            int dx, dy;
            switch (orientation) {
            case 2: dx = w - 1 - x; dy = y; break;
            case 3: dx = w - 1 - x; dy = h - 1 - y; break;
            case 4: dx = x; dy = h - 1 - y; break;
            case 5: dx = y; dy = x; break;
            case 6: dx = h - 1 - y; dy = x; break;
            case 7: dx = h - 1 - y; dy = w - 1 - x; break;
            case 8: dx = y; dy = w - 1 - x; break;
            default: dx = x; dy = y; break;
            }
            memcpy(out->pixels + ((size_t)dy * out->width + dx) * ch,
                   in->pixels + ((size_t)y * w + x) * ch, ch);
        }
    }
    return 0;
}
