// GIF thumbnails with giflib: the first frame composed on a transparent canvas, Lanczos-3 in
// RGB(A), then mapped back onto the frame's own palette with Floyd-Steinberg dithering (no
// new quantisation: the source palette already suits the picture), and encoded as GIF89a.
#include "internal.h"
#include <gif_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *bytes;
    size_t length, at;
} source;

static int read_source(GifFileType *gif, GifByteType *into, int count) {
    source *s = gif->UserData;
    size_t left = s->length - s->at;
    size_t n = (size_t)count < left ? (size_t)count : left;
    memcpy(into, s->bytes + s->at, n);
    s->at += n;
    return (int)n;
}

typedef struct {
    uint8_t *bytes;
    size_t length, capacity;
    int failed;
} sink;

static int write_sink(GifFileType *gif, const GifByteType *data, int count) {
    sink *s = gif->UserData;
    if (s->length + (size_t)count > s->capacity) {
        size_t capacity = s->capacity ? s->capacity * 2 : 4096;
        while (capacity < s->length + (size_t)count) capacity *= 2;
        uint8_t *grown = realloc(s->bytes, capacity);
        if (!grown) { s->failed = 1; return 0; }
        s->bytes = grown;
        s->capacity = capacity;
    }
    memcpy(s->bytes + s->length, data, (size_t)count);
    s->length += (size_t)count;
    return count;
}

/// The first frame, painted onto a canvas of the logical screen that starts transparent.
typedef struct {
    thumb_image canvas;        // RGBA
    GifColorType palette[256];
    int colors;
    int transparent;           // palette index, or -1
} first_frame;

static skein_thumb_status read_first_frame(GifFileType *gif, first_frame *frame, skein_thumb_result *result) {
    int transparent = -1;
    for (;;) {
        GifRecordType type;
        if (DGifGetRecordType(gif, &type) == GIF_ERROR)
            return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: %s", GifErrorString(gif->Error));
        if (type == TERMINATE_RECORD_TYPE)
            return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: the file holds no image");
        if (type == EXTENSION_RECORD_TYPE) {
            int code;
            GifByteType *block = NULL;
            if (DGifGetExtension(gif, &code, &block) == GIF_ERROR)
                return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: %s", GifErrorString(gif->Error));
            if (code == GRAPHICS_EXT_FUNC_CODE && block && block[0] >= 4) {
                GraphicsControlBlock gcb;
                if (DGifExtensionToGCB(block[0], block + 1, &gcb) == GIF_OK) transparent = gcb.TransparentColor;
            }
            while (block) {
                if (DGifGetExtensionNext(gif, &block) == GIF_ERROR)
                    return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: %s", GifErrorString(gif->Error));
            }
            continue;
        }
        if (type != IMAGE_DESC_RECORD_TYPE) continue;
        if (DGifGetImageDesc(gif) == GIF_ERROR)
            return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: %s", GifErrorString(gif->Error));
        GifImageDesc *desc = &gif->Image;
        ColorMapObject *map = desc->ColorMap ? desc->ColorMap : gif->SColorMap;
        if (map && (map->ColorCount <= 0 || map->ColorCount > 256))
            return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: a colour table of %d colours", map->ColorCount);
        if (desc->Width <= 0 || desc->Height <= 0 || (int64_t)desc->Width * desc->Height > (int64_t)gif->SWidth * gif->SHeight * 4)
            return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: a frame of %dx%d on a %dx%d screen",
                              desc->Width, desc->Height, gif->SWidth, gif->SHeight);
        if (map) {
            frame->colors = map->ColorCount;
            memcpy(frame->palette, map->Colors, sizeof(GifColorType) * (size_t)map->ColorCount);
        } else {
            // No colour table at all: the default one, greys from black to white (what Pillow
            // does; browsers differ), with a note rather than a refusal.
            frame->colors = 256;
            for (int i = 0; i < 256; i++) frame->palette[i] = (GifColorType){ (GifByteType)i, (GifByteType)i, (GifByteType)i };
            snprintf(result->message, sizeof(result->message), "the GIF has no colour table: shown with the default grey one");
        }
        frame->transparent = transparent < frame->colors ? transparent : -1;
        // A frame that fills the screen with no transparent colour (the usual case) is painted
        // as RGB; anything else on an RGBA canvas that starts transparent.
        int covers = desc->Left == 0 && desc->Top == 0 && desc->Width == gif->SWidth && desc->Height == gif->SHeight;
        thumb_image *canvas = &frame->canvas;
        canvas->width = gif->SWidth;
        canvas->height = gif->SHeight;
        canvas->channels = covers && frame->transparent < 0 ? 3 : 4;
        canvas->pixels = calloc((size_t)canvas->width * canvas->height, (size_t)canvas->channels);
        GifByteType *line = malloc((size_t)desc->Width);
        if (!line || !canvas->pixels) { free(line); return thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory"); }
        // Palette entries as pixels, so painting is one copy a pixel; indices past the palette
        // show as opaque black, the transparent one as nothing.
        uint8_t colours[256][4];
        memset(colours, 0, sizeof(colours));
        for (int i = 0; i < 256; i++) {
            if (i < frame->colors) {
                colours[i][0] = frame->palette[i].Red;
                colours[i][1] = frame->palette[i].Green;
                colours[i][2] = frame->palette[i].Blue;
            }
            colours[i][3] = i == frame->transparent ? 0 : 255;
        }
        static const int offsets[] = {0, 4, 2, 1}, steps[] = {8, 8, 4, 2};
        int passes = desc->Interlace ? 4 : 1, ch = canvas->channels;
        for (int pass = 0; pass < passes; pass++) {
            int first = desc->Interlace ? offsets[pass] : 0, step = desc->Interlace ? steps[pass] : 1;
            for (int row = first; row < desc->Height; row += step) {
                if (DGifGetLine(gif, line, desc->Width) == GIF_ERROR) {
                    free(line);
                    return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: %s", GifErrorString(gif->Error));
                }
                int y = desc->Top + row;
                if (y < 0 || y >= canvas->height) continue;
                uint8_t *dst = canvas->pixels + (size_t)y * canvas->width * ch;
                if (ch == 3) {
                    for (int x = 0; x < desc->Width; x++) memcpy(dst + (size_t)x * 3, colours[line[x]], 3);
                    continue;
                }
                for (int col = 0; col < desc->Width; col++) {
                    int x = desc->Left + col;
                    if (x < 0 || x >= canvas->width || line[col] == frame->transparent) continue;
                    memcpy(dst + (size_t)x * 4, colours[line[col]], 4);
                }
            }
        }
        free(line);
        return SKEIN_THUMB_OK;
    }
}

/// The palette sorted by green, for a nearest-colour search that starts at the right green and
/// stops once green alone is further than the best match (a full scan of 256 entries for every
/// new colour was a sixth of a GIF thumbnail's time).
typedef struct {
    int count;
    uint8_t index[256];
    int green[256];
} palette_order;

static void order_palette(const first_frame *frame, palette_order *order) {
    order->count = 0;
    for (int i = 0; i < frame->colors; i++) {
        if (i == frame->transparent) continue;
        int g = frame->palette[i].Green, at = order->count++;
        while (at > 0 && order->green[at - 1] > g) {   // insertion sort: at most 256 entries
            order->green[at] = order->green[at - 1];
            order->index[at] = order->index[at - 1];
            at--;
        }
        order->green[at] = g;
        order->index[at] = (uint8_t)i;
    }
}

static inline int distance(const GifColorType *c, int r, int g, int b) {
    int dr = r - c->Red, dg = g - c->Green, db = b - c->Blue;
    return 2 * dr * dr + 4 * dg * dg + 3 * db * db;
}

/// Nearest palette entry (skipping the transparent one), through a cache of 15-bit colours.
static int nearest(const first_frame *frame, const palette_order *order, int16_t *cache, int r, int g, int b) {
    int key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    if (cache[key] >= 0) return cache[key];
    int low = 0, high = order->count;
    while (low < high) {   // first entry with green >= g
        int mid = (low + high) / 2;
        if (order->green[mid] < g) low = mid + 1; else high = mid;
    }
    int best = order->count ? order->index[low < order->count ? low : order->count - 1] : 0;
    int best_distance = 1 << 30;
    for (int up = low, down = low - 1; up < order->count || down >= 0;) {
        if (up < order->count) {
            int dg = order->green[up] - g;
            if (4 * dg * dg >= best_distance) up = order->count;
            else {
                int d = distance(&frame->palette[order->index[up]], r, g, b);
                if (d < best_distance) { best_distance = d; best = order->index[up]; }
                up++;
            }
        }
        if (down >= 0) {
            int dg = g - order->green[down];
            if (4 * dg * dg >= best_distance) down = -1;
            else {
                int d = distance(&frame->palette[order->index[down]], r, g, b);
                if (d < best_distance) { best_distance = d; best = order->index[down]; }
                down--;
            }
        }
    }
    cache[key] = (int16_t)best;
    return best;
}

static inline int clamp255(int v) { return v < 0 ? 0 : v > 255 ? 255 : v; }

/// Maps RGB(A) pixels onto the palette with Floyd-Steinberg error diffusion.
static int map_to_palette(const thumb_image *image, const first_frame *frame, int transparent_slot,
                          uint8_t *indices) {
    int w = image->width, ch = image->channels;
    int16_t *cache = malloc(sizeof(int16_t) * 32768);
    int *errors = calloc((size_t)(w + 2) * 3 * 2, sizeof(int));
    if (!cache || !errors) { free(cache); free(errors); return -1; }
    memset(cache, 0xFF, sizeof(int16_t) * 32768);
    palette_order order;
    order_palette(frame, &order);
    int *current = errors, *next = errors + (w + 2) * 3;
    for (int y = 0; y < image->height; y++) {
        memset(next, 0, sizeof(int) * (size_t)(w + 2) * 3);
        const uint8_t *row = image->pixels + (size_t)y * w * ch;
        for (int x = 0; x < w; x++) {
            const uint8_t *p = row + (size_t)x * ch;
            if (ch == 4 && p[3] < 128) { indices[(size_t)y * w + x] = (uint8_t)transparent_slot; continue; }
            int *e = current + (x + 1) * 3;
            int r = clamp255(p[0] + e[0] / 16), g = clamp255(p[1] + e[1] / 16), b = clamp255(p[2] + e[2] / 16);
            int index = nearest(frame, &order, cache, r, g, b);
            indices[(size_t)y * w + x] = (uint8_t)index;
            int er = r - frame->palette[index].Red, eg = g - frame->palette[index].Green, eb = b - frame->palette[index].Blue;
            int spread[3] = {er, eg, eb};
            for (int c = 0; c < 3; c++) {
                current[(x + 2) * 3 + c] += spread[c] * 7;
                next[x * 3 + c] += spread[c] * 3;
                next[(x + 1) * 3 + c] += spread[c] * 5;
                next[(x + 2) * 3 + c] += spread[c];
            }
        }
        int *swap = current; current = next; next = swap;
    }
    free(cache);
    free(errors);
    return 0;
}

static skein_thumb_status encode(const uint8_t *indices, int width, int height, const first_frame *frame,
                                 int colors, int transparent_slot, skein_thumb_result *result) {
    int size = 2;
    while (size < colors) size *= 2;
    GifColorType palette[256];
    memset(palette, 0, sizeof(palette));
    memcpy(palette, frame->palette, sizeof(GifColorType) * (size_t)frame->colors);
    ColorMapObject *map = GifMakeMapObject(size, palette);
    sink out = {0};
    int error = 0;
    GifFileType *gif = map ? EGifOpen(&out, write_sink, &error) : NULL;
    if (!gif) {
        GifFreeMapObject(map);
        return thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "cannot start the GIF encoder");
    }
    EGifSetGifVersion(gif, true);
    int ok = EGifPutScreenDesc(gif, width, height, 8, 0, map) == GIF_OK;
    if (ok && transparent_slot >= 0) {
        GraphicsControlBlock gcb = {.DisposalMode = DISPOSAL_UNSPECIFIED, .UserInputFlag = false,
                                    .DelayTime = 0, .TransparentColor = transparent_slot};
        GifByteType block[4];
        size_t length = EGifGCBToExtension(&gcb, block);
        ok = EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, (int)length, block) == GIF_OK;
    }
    if (ok) ok = EGifPutImageDesc(gif, 0, 0, width, height, false, NULL) == GIF_OK;
    for (int y = 0; ok && y < height; y++)
        ok = EGifPutLine(gif, (GifPixelType *)(indices + (size_t)y * width), width) == GIF_OK;
    int encode_error = ok ? 0 : gif->Error;
    if (EGifCloseFile(gif, &error) == GIF_ERROR && ok) { ok = 0; encode_error = error; }
    GifFreeMapObject(map);
    if (!ok || out.failed) {
        free(out.bytes);
        return thumb_fail(result, out.failed ? SKEIN_THUMB_NO_MEMORY : SKEIN_THUMB_CORRUPT,
                          "cannot encode: %s", out.failed ? "out of memory" : GifErrorString(encode_error));
    }
    result->data = out.bytes;
    result->length = out.length;
    result->width = width;
    result->height = height;
    return SKEIN_THUMB_OK;
}

skein_thumb_status skein_thumb_gif(const uint8_t *bytes, size_t length,
                                   const skein_thumb_request *request, skein_thumb_result *result) {
    memset(result, 0, sizeof(*result));
    source input = {bytes, length, 0};
    int error = 0;
    GifFileType *gif = DGifOpen(&input, read_source, &error);
    if (!gif) return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot read the header: %s", GifErrorString(error));
    skein_thumb_status status;
    first_frame frame = {0};
    thumb_image resized = {0};
    uint8_t *indices = NULL;
    if ((status = thumb_check_pixels(request, gif->SWidth, gif->SHeight, result))) goto done;
    if ((status = read_first_frame(gif, &frame, result))) goto done;

    int opaque = frame.canvas.channels == 3;
    int colors = frame.colors, transparent_slot = -1;
    if (!opaque) {
        if (frame.transparent >= 0) transparent_slot = frame.transparent;
        else if (frame.colors < 256) { transparent_slot = frame.colors; colors++; }
        else { status = thumb_fail(result, SKEIN_THUMB_UNSUPPORTED, "no palette slot for transparency"); goto done; }
    }
    int target_w, target_h;
    skein_thumb_fit(frame.canvas.width, frame.canvas.height, request->box_width, request->box_height, &target_w, &target_h);
    indices = malloc((size_t)target_w * target_h);
    if (!indices || thumb_resize(&frame.canvas, target_w, target_h, &resized) ||
        map_to_palette(&resized, &frame, transparent_slot, indices)) {
        status = thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory");
        goto done;
    }
    status = encode(indices, target_w, target_h, &frame, colors, transparent_slot, result);

done:
    DGifCloseFile(gif, &error);
    thumb_image_free(&frame.canvas);
    thumb_image_free(&resized);
    free(indices);
    return status;
}
