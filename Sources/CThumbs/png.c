// PNG thumbnails, decoded and encoded here with libdeflate for the compressed stream (about
// twice zlib's speed). The direct path takes what nearly every PNG is: 8 bits a sample, not
// interlaced, grey, RGB, palette, grey+alpha or RGBA, with or without tRNS. Anything else
// (16-bit, 1/2/4-bit, interlaced, an ICC profile, unknown critical chunks) goes to libvips.
// Every chunk's CRC and the zlib checksum are checked; a file that ends early is corrupt.
#include "internal.h"
#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static uint32_t be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

typedef struct {
    uint32_t width, height;
    int color_type;                  // 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA
    uint8_t palette[256][4];         // RGBA
    int palette_size;
    int has_trns;
    uint16_t key[3];                 // tRNS colour key for grey (key[0]) and RGB
    uint8_t *data;                   // the IDAT chunks, joined
    size_t data_length;
} png_source;

static int channels_in_file(int color_type) {
    switch (color_type) {
    case 0: case 3: return 1;
    case 2: return 3;
    case 4: return 2;
    default: return 4;
    }
}

/// Walks the chunks: IHDR, PLTE, tRNS, the IDATs, up to IEND.
static skein_thumb_status read_chunks(const uint8_t *bytes, size_t length, const skein_thumb_request *request,
                                      png_source *png, skein_thumb_result *result) {
    if (length < 8 || memcmp(bytes, signature, 8) != 0)
        return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot read the header: not a PNG signature");
    size_t at = 8, data_capacity = 0;
    int seen_header = 0;
    for (;;) {
        if (length - at < 12)
            return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: the file ends before its IEND chunk (truncated)");
        uint32_t size = be32(bytes + at);
        const uint8_t *type = bytes + at + 4, *body = bytes + at + 8;
        if (size > 0x7FFFFFFFu || length - at - 12 < size)
            return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: the %.4s chunk runs past the end of the file (truncated)", (const char *)type);
        if (libdeflate_crc32(0, type, size + 4) != be32(body + size))
            return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: the %.4s chunk fails its CRC", (const char *)type);
        at += 12 + (size_t)size;
        if (!seen_header) {
            if (memcmp(type, "IHDR", 4) != 0 || size != 13)
                return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot read the header: no IHDR chunk first");
            seen_header = 1;
            png->width = be32(body);
            png->height = be32(body + 4);
            int depth = body[8];
            png->color_type = body[9];
            if (png->width == 0 || png->height == 0 || png->width > 0x7FFFFFFFu || png->height > 0x7FFFFFFFu)
                return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot read the header: a size of %ux%u", png->width, png->height);
            skein_thumb_status status = thumb_check_pixels(request, (int)png->width, (int)png->height, result);
            if (status) return status;
            int known = png->color_type == 0 || png->color_type == 2 || png->color_type == 3 ||
                        png->color_type == 4 || png->color_type == 6;
            if (!known || body[10] != 0 || body[11] != 0 || body[12] > 1)
                return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot read the header: an invalid IHDR");
            if (depth != 8 || body[12] != 0)
                return thumb_fail(result, SKEIN_THUMB_UNSUPPORTED, "%d-bit or interlaced", depth);
            continue;
        }
        if (memcmp(type, "IEND", 4) == 0) break;
        if (memcmp(type, "IDAT", 4) == 0) {
            if (png->data_length + size > data_capacity) {
                size_t capacity = data_capacity ? data_capacity * 2 : 1 << 16;
                while (capacity < png->data_length + size) capacity *= 2;
                uint8_t *grown = realloc(png->data, capacity);
                if (!grown) return thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory");
                png->data = grown;
                data_capacity = capacity;
            }
            memcpy(png->data + png->data_length, body, size);
            png->data_length += size;
        } else if (memcmp(type, "PLTE", 4) == 0) {
            if (size % 3 != 0 || size / 3 > 256 || size == 0)
                return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: a palette of %u bytes", size);
            png->palette_size = (int)(size / 3);
            for (int i = 0; i < png->palette_size; i++) {
                memcpy(png->palette[i], body + i * 3, 3);
                png->palette[i][3] = 255;
            }
        } else if (memcmp(type, "tRNS", 4) == 0) {
            png->has_trns = 1;
            if (png->color_type == 3) {
                for (uint32_t i = 0; i < size && i < 256; i++) png->palette[i][3] = body[i];
            } else if (png->color_type == 0 && size >= 2) {
                png->key[0] = (uint16_t)((body[0] << 8) | body[1]);
            } else if (png->color_type == 2 && size >= 6) {
                for (int c = 0; c < 3; c++) png->key[c] = (uint16_t)((body[c * 2] << 8) | body[c * 2 + 1]);
            } else {
                png->has_trns = 0;
            }
        } else if (memcmp(type, "iCCP", 4) == 0) {
            return thumb_fail(result, SKEIN_THUMB_UNSUPPORTED, "embedded ICC profile");
        } else if (!(type[0] & 0x20)) {
            return thumb_fail(result, SKEIN_THUMB_UNSUPPORTED, "critical chunk %.4s", (const char *)type);
        }
    }
    if (png->data_length == 0) return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: no image data");
    if (png->color_type == 3 && png->palette_size == 0)
        return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: a palette image without a palette");
    return SKEIN_THUMB_OK;
}

static inline int paeth(int a, int b, int c) {
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/// Undoes the row filters in place; rows are 1 + stride bytes.
static int unfilter(uint8_t *raw, uint32_t height, size_t stride, int bpp) {
    const uint8_t *previous = NULL;
    for (uint32_t y = 0; y < height; y++) {
        uint8_t *row = raw + (size_t)y * (stride + 1) + 1;
        int filter = row[-1];
        switch (filter) {
        case 0: break;
        case 1: for (size_t i = (size_t)bpp; i < stride; i++) row[i] = (uint8_t)(row[i] + row[i - bpp]); break;
        case 2: if (previous) for (size_t i = 0; i < stride; i++) row[i] = (uint8_t)(row[i] + previous[i]); break;
        case 3:
            for (size_t i = 0; i < stride; i++) {
                int left = i >= (size_t)bpp ? row[i - bpp] : 0, up = previous ? previous[i] : 0;
                row[i] = (uint8_t)(row[i] + ((left + up) >> 1));
            }
            break;
        case 4:
            for (size_t i = 0; i < stride; i++) {
                int left = i >= (size_t)bpp ? row[i - bpp] : 0, up = previous ? previous[i] : 0;
                int corner = previous && i >= (size_t)bpp ? previous[i - bpp] : 0;
                row[i] = (uint8_t)(row[i] + paeth(left, up, corner));
            }
            break;
        default: return -1;
        }
        previous = row;
    }
    return 0;
}

/// The unfiltered rows as grey, RGB or RGBA pixels (transparency applied).
static int to_pixels(const png_source *png, const uint8_t *raw, size_t stride, thumb_image *image) {
    int w = (int)png->width, h = (int)png->height, type = png->color_type;
    int alpha = type == 4 || type == 6 || png->has_trns;
    image->width = w;
    image->height = h;
    image->channels = alpha ? 4 : type == 0 ? 1 : 3;
    image->pixels = malloc((size_t)w * h * image->channels);
    if (!image->pixels) return -1;
    for (int y = 0; y < h; y++) {
        const uint8_t *src = raw + (size_t)y * (stride + 1) + 1;
        uint8_t *dst = image->pixels + (size_t)y * w * image->channels;
        switch (type) {
        case 0:
            if (!alpha) { memcpy(dst, src, (size_t)w); break; }
            for (size_t x = 0; x < (size_t)w; x++) {
                dst[x * 4] = dst[x * 4 + 1] = dst[x * 4 + 2] = src[x];
                dst[x * 4 + 3] = src[x] == png->key[0] ? 0 : 255;
            }
            break;
        case 2:
            if (!alpha) { memcpy(dst, src, (size_t)w * 3); break; }
            for (size_t x = 0; x < (size_t)w; x++) {
                memcpy(dst + x * 4, src + x * 3, 3);
                dst[x * 4 + 3] = src[x * 3] == png->key[0] && src[x * 3 + 1] == png->key[1] && src[x * 3 + 2] == png->key[2] ? 0 : 255;
            }
            break;
        case 3:
            for (size_t x = 0; x < (size_t)w; x++) {
                // Indices past the palette show as opaque black, as browsers do.
                static const uint8_t black[4] = {0, 0, 0, 255};
                const uint8_t *entry = src[x] < png->palette_size ? png->palette[src[x]] : black;
                memcpy(dst + x * (size_t)image->channels, entry, (size_t)image->channels);
            }
            break;
        case 4:
            for (size_t x = 0; x < (size_t)w; x++) {
                dst[x * 4] = dst[x * 4 + 1] = dst[x * 4 + 2] = src[x * 2];
                dst[x * 4 + 3] = src[x * 2 + 1];
            }
            break;
        default:
            memcpy(dst, src, (size_t)w * 4);
            break;
        }
    }
    return 0;
}

/// One compressor per thread, kept: allocating one costs more than compressing a thumbnail.
static pthread_key_t compressor_key;
static pthread_once_t compressor_once = PTHREAD_ONCE_INIT;
static void free_compressor(void *c) { libdeflate_free_compressor(c); }
static void make_compressor_key(void) { pthread_key_create(&compressor_key, free_compressor); }
static struct libdeflate_compressor *thread_compressor(void) {
    pthread_once(&compressor_once, make_compressor_key);
    struct libdeflate_compressor *c = pthread_getspecific(compressor_key);
    if (!c && (c = libdeflate_alloc_compressor(6))) pthread_setspecific(compressor_key, c);
    return c;
}

static size_t put_chunk(uint8_t *at, const char *type, const uint8_t *body, size_t size) {
    put32(at, (uint32_t)size);
    memcpy(at + 4, type, 4);
    if (size) memcpy(at + 8, body, size);
    put32(at + 8 + size, libdeflate_crc32(0, at + 4, size + 4));
    return size + 12;
}

/// Encodes grey, RGB or RGBA pixels as an 8-bit PNG; each row gets the filter with the
/// smallest sum of absolute differences (the usual heuristic).
static skein_thumb_status encode(const thumb_image *image, skein_thumb_result *result) {
    int ch = image->channels;
    size_t stride = (size_t)image->width * ch, raw_size = (stride + 1) * image->height;
    uint8_t *raw = malloc(raw_size), *candidate = malloc(stride);
    struct libdeflate_compressor *compressor = thread_compressor();
    if (!raw || !candidate || !compressor) {
        free(raw); free(candidate);
        return thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory");
    }
    uint8_t *zero = calloc(stride, 1);
    if (!zero) { free(raw); free(candidate); return thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory"); }
    for (int y = 0; y < image->height; y++) {
        const uint8_t *row = image->pixels + (size_t)y * stride;
        const uint8_t *up = y ? row - stride : zero;
        uint8_t *dst = raw + (size_t)y * (stride + 1);
        long best_score = -1;
        for (int filter = 0; filter < 5; filter++) {
            // Each filter in a loop of its own (the compiler vectorises the simple ones).
            size_t i = 0;
            switch (filter) {
            case 0: memcpy(candidate, row, stride); break;
            case 1:
                for (; i < (size_t)ch; i++) candidate[i] = row[i];
                for (; i < stride; i++) candidate[i] = (uint8_t)(row[i] - row[i - ch]);
                break;
            case 2: for (; i < stride; i++) candidate[i] = (uint8_t)(row[i] - up[i]); break;
            case 3:
                for (; i < (size_t)ch; i++) candidate[i] = (uint8_t)(row[i] - (up[i] >> 1));
                for (; i < stride; i++) candidate[i] = (uint8_t)(row[i] - ((row[i - ch] + up[i]) >> 1));
                break;
            default:
                for (; i < (size_t)ch; i++) candidate[i] = (uint8_t)(row[i] - up[i]);
                for (; i < stride; i++) candidate[i] = (uint8_t)(row[i] - paeth(row[i - ch], up[i], up[i - ch]));
                break;
            }
            long score = 0;
            for (i = 0; i < stride; i++) score += (int8_t)candidate[i] < 0 ? -(int8_t)candidate[i] : (int8_t)candidate[i];
            if (best_score < 0 || score < best_score) {
                best_score = score;
                dst[0] = (uint8_t)filter;
                memcpy(dst + 1, candidate, stride);
            }
        }
    }
    free(zero);
    free(candidate);
    size_t bound = libdeflate_zlib_compress_bound(compressor, raw_size);
    uint8_t *out = malloc(8 + 25 + 12 + bound + 12);
    if (!out) { free(raw); return thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory"); }
    memcpy(out, signature, 8);
    size_t at = 8;
    uint8_t header[13];
    put32(header, (uint32_t)image->width);
    put32(header + 4, (uint32_t)image->height);
    header[8] = 8;
    header[9] = ch == 4 ? 6 : ch == 3 ? 2 : 0;
    header[10] = header[11] = header[12] = 0;
    at += put_chunk(out + at, "IHDR", header, 13);
    size_t compressed = libdeflate_zlib_compress(compressor, raw, raw_size, out + at + 8, bound);
    free(raw);
    if (compressed == 0) { free(out); return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot encode: compression failed"); }
    put32(out + at, (uint32_t)compressed);
    memcpy(out + at + 4, "IDAT", 4);
    put32(out + at + 8 + compressed, libdeflate_crc32(0, out + at + 4, compressed + 4));
    at += compressed + 12;
    at += put_chunk(out + at, "IEND", NULL, 0);
    result->data = out;
    result->length = at;
    result->width = image->width;
    result->height = image->height;
    return SKEIN_THUMB_OK;
}

skein_thumb_status skein_thumb_png(const uint8_t *bytes, size_t length,
                                   const skein_thumb_request *request, skein_thumb_result *result) {
    memset(result, 0, sizeof(*result));
    png_source png;
    memset(&png, 0, sizeof(png));
    thumb_image decoded = {0}, resized = {0};
    uint8_t *raw = NULL;
    struct libdeflate_decompressor *decompressor = NULL;
    skein_thumb_status status = read_chunks(bytes, length, request, &png, result);
    if (status) goto done;

    int bpp = channels_in_file(png.color_type);
    size_t stride = (size_t)png.width * bpp, raw_size = (stride + 1) * png.height;
    raw = malloc(raw_size);
    decompressor = libdeflate_alloc_decompressor();
    if (!raw || !decompressor) { status = thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory"); goto done; }
    size_t produced = 0;
    enum libdeflate_result inflated = libdeflate_zlib_decompress(decompressor, png.data, png.data_length,
                                                                 raw, raw_size, &produced);
    if (inflated == LIBDEFLATE_INSUFFICIENT_SPACE) {
        status = thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: more image data than %ux%u pixels", png.width, png.height);
        goto done;
    }
    if (inflated != LIBDEFLATE_SUCCESS) {
        status = thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: the compressed image data is damaged or cut short");
        goto done;
    }
    if (produced != raw_size) {
        status = thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: the image data stops after %zu of %zu bytes (truncated)", produced, raw_size);
        goto done;
    }
    if (unfilter(raw, png.height, stride, bpp)) {
        status = thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode: an unknown row filter");
        goto done;
    }
    free(png.data);
    png.data = NULL;
    if (to_pixels(&png, raw, stride, &decoded)) { status = thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory"); goto done; }
    free(raw);
    raw = NULL;

    int target_w, target_h;
    skein_thumb_fit(decoded.width, decoded.height, request->box_width, request->box_height, &target_w, &target_h);
    if (thumb_resize(&decoded, target_w, target_h, &resized)) {
        status = thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory");
        goto done;
    }
    status = encode(&resized, result);

done:
    if (decompressor) libdeflate_free_decompressor(decompressor);
    free(png.data);
    free(raw);
    thumb_image_free(&decoded);
    thumb_image_free(&resized);
    return status;
}
