// Resampling for thumbnails: a whole-factor box reduction, then Lanczos-3.
#include "internal.h"
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/// The hot loops are compiled twice, for AVX2 and for the x86-64 baseline, and the loader picks
/// the one this CPU runs (the baseline has no 32-bit vector multiply).
#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define SKEIN_SANITIZED 1   // sanitizers instrument the ifunc resolver, which runs before them
#endif
#endif
#if defined(__x86_64__) && defined(__clang__) && !defined(SKEIN_SANITIZED)
#define SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SIMD_CLONES
#endif

typedef int32_t i32x4 __attribute__((vector_size(16)));
typedef uint8_t u8x4 __attribute__((vector_size(4)));

/// Four bytes at `p` as four int32 lanes.
static inline i32x4 widen4(const uint8_t *p) {
    u8x4 bytes;
    memcpy(&bytes, p, 4);
    return __builtin_convertvector(bytes, i32x4);
}

void thumb_image_free(thumb_image *image) {
    free(image->pixels);
    image->pixels = NULL;
}

static int allocate(thumb_image *image, int width, int height, int channels) {
    image->width = width;
    image->height = height;
    image->channels = channels;
    image->pixels = malloc((size_t)width * height * channels);
    return image->pixels ? 0 : -1;
}

/// Adds a row's samples to 32-bit column sums: grey and RGB, where 255 × rows stays far below
/// 2^32 for any image the direct path takes.
SIMD_CLONES static void add_row(uint32_t *columns, const uint8_t *row, size_t samples) {
    for (size_t i = 0; i < samples; i++) columns[i] += row[i];
}

/// The same for RGBA, colours weighted by alpha, in 64 bits: 255 × 255 × rows passes 2^32
/// after 66,051 rows, which a tall thin image reaches.
static void add_row_alpha(uint64_t *columns, const uint8_t *row, size_t samples) {
    for (size_t i = 0; i < samples; i += 4) {
        uint64_t a = row[i + 3];
        columns[i] += row[i] * a; columns[i + 1] += row[i + 1] * a;
        columns[i + 2] += row[i + 2] * a; columns[i + 3] += a;
    }
}

/// s / n rounded, as a byte. A reciprocal multiplication when n is small enough for it to be
/// exact after rounding (this runs per sample); a division otherwise.
static inline uint8_t average(uint64_t s, uint64_t n, uint64_t inverse) {
    uint64_t v = n < 65536 ? (s * inverse + (1ull << 31)) >> 32 : (s + n / 2) / n;
    return v > 255 ? 255 : (uint8_t)v;
}

/// One output row from its blocks' sums (4 a block; RGBA colours weighted by alpha).
static void finish_row(const uint64_t *blocks, int width, int ch, int kx, int in_width, uint64_t rows, uint8_t *dst) {
    uint64_t full_n = (uint64_t)kx * rows, full_inverse = full_n < 65536 ? ((1ull << 32) + full_n / 2) / full_n : 0;
    for (int ox = 0; ox < width; ox++) {
        const uint64_t *s = blocks + (size_t)ox * 4;
        int x0 = ox * kx, x1 = x0 + kx < in_width ? x0 + kx : in_width;
        uint64_t n = (uint64_t)(x1 - x0) * rows;
        // Whole blocks share n: its reciprocal is worked out once.
        uint64_t inverse = n == full_n ? full_inverse : n < 65536 ? ((1ull << 32) + n / 2) / n : 0;
        if (ch == 3) {
            dst[(size_t)ox * 3] = average(s[0], n, inverse);
            dst[(size_t)ox * 3 + 1] = average(s[1], n, inverse);
            dst[(size_t)ox * 3 + 2] = average(s[2], n, inverse);
        } else if (ch == 4) {
            uint64_t alpha = s[3];
            for (int c = 0; c < 3; c++) dst[(size_t)ox * 4 + c] = alpha ? average(s[c], alpha, alpha < 65536 ? ((1ull << 32) + alpha / 2) / alpha : 0) : 0;
            dst[(size_t)ox * 4 + 3] = average(alpha, n, inverse);
        } else {
            for (int c = 0; c < ch; c++) dst[(size_t)ox * ch + c] = average(s[c], n, inverse);
        }
    }
}

/// Rows wider than this many samples are summed block by block, so the column sums never take
/// more than 32 MB (a hostile 100,000,000 x 1 image would otherwise ask for gigabytes).
#define COLUMN_SAMPLES_MAX (1u << 22)

/// Averages kx x ky blocks (the last ones may be partial): the rows of a band are summed per
/// column (a loop the compiler vectorises), then each block's columns. RGBA is averaged
/// weighted by alpha, so transparent pixels lend no colour to their neighbours.
static int box_reduce(const thumb_image *in, int kx, int ky, thumb_image *out) {
    int width = (in->width + kx - 1) / kx, height = (in->height + ky - 1) / ky;
    int ch = in->channels;
    size_t samples = (size_t)in->width * ch;
    int by_column = samples <= COLUMN_SAMPLES_MAX;
    if (allocate(out, width, height, ch)) return -1;
    uint64_t *blocks = malloc((size_t)width * 4 * sizeof(uint64_t));
    uint32_t *columns = by_column && ch != 4 ? malloc(samples * sizeof(uint32_t)) : NULL;
    uint64_t *wide_columns = by_column && ch == 4 ? malloc(samples * sizeof(uint64_t)) : NULL;
    if (!blocks || (by_column && !columns && !wide_columns)) {
        free(blocks); free(columns); free(wide_columns); thumb_image_free(out);
        return -1;
    }
    for (int oy = 0; oy < height; oy++) {
        int y0 = oy * ky, y1 = y0 + ky < in->height ? y0 + ky : in->height;
        memset(blocks, 0, (size_t)width * 4 * sizeof(uint64_t));
        if (by_column) {
            if (columns) memset(columns, 0, samples * sizeof(uint32_t));
            else memset(wide_columns, 0, samples * sizeof(uint64_t));
            for (int y = y0; y < y1; y++) {
                const uint8_t *row = in->pixels + (size_t)y * samples;
                if (columns) add_row(columns, row, samples); else add_row_alpha(wide_columns, row, samples);
            }
            for (int ox = 0; ox < width; ox++) {
                int x0 = ox * kx, x1 = x0 + kx < in->width ? x0 + kx : in->width;
                uint64_t *s = blocks + (size_t)ox * 4;
                size_t i = (size_t)x0 * ch, end = (size_t)x1 * ch;
                if (ch == 3) {   // the usual case, unrolled
                    uint64_t s0 = 0, s1 = 0, s2 = 0;
                    for (; i < end; i += 3) { s0 += columns[i]; s1 += columns[i + 1]; s2 += columns[i + 2]; }
                    s[0] = s0; s[1] = s1; s[2] = s2;
                } else if (columns) {
                    for (; i < end; i += ch) for (int c = 0; c < ch; c++) s[c] += columns[i + c];
                } else {
                    for (; i < end; i += 4) for (int c = 0; c < 4; c++) s[c] += wide_columns[i + c];
                }
            }
        } else {
            for (int y = y0; y < y1; y++) {
                const uint8_t *row = in->pixels + (size_t)y * samples;
                for (int ox = 0; ox < width; ox++) {
                    int x0 = ox * kx, x1 = x0 + kx < in->width ? x0 + kx : in->width;
                    uint64_t *s = blocks + (size_t)ox * 4;
                    for (const uint8_t *p = row + (size_t)x0 * ch; p < row + (size_t)x1 * ch; p += ch) {
                        if (ch == 4) {
                            uint64_t a = p[3];
                            s[0] += p[0] * a; s[1] += p[1] * a; s[2] += p[2] * a; s[3] += a;
                        } else {
                            for (int c = 0; c < ch; c++) s[c] += p[c];
                        }
                    }
                }
            }
        }
        finish_row(blocks, width, ch, kx, in->width, (uint64_t)(y1 - y0), out->pixels + (size_t)oy * width * ch);
    }
    free(blocks);
    free(columns);
    free(wide_columns);
    return 0;
}

static double lanczos3_exact(double x) {
    if (x < 1e-8) return 1.0;
    if (x >= 3.0) return 0.0;
    double px = M_PI * x;
    return 3.0 * sin(px) * sin(px / 3.0) / (px * px);
}

/// Lanczos-3 sampled every 1/1024 and interpolated: two sines a tap were an eighth of the
/// time of a whole resize.
#define LANCZOS_STEPS 1024
static double lanczos_table[3 * LANCZOS_STEPS + 2];
static pthread_once_t lanczos_once = PTHREAD_ONCE_INIT;
static void fill_lanczos_table(void) {
    for (int i = 0; i < 3 * LANCZOS_STEPS + 2; i++) lanczos_table[i] = lanczos3_exact((double)i / LANCZOS_STEPS);
}

static double lanczos3(double x) {
    if (x < 0) x = -x;
    if (x >= 3.0) return 0.0;
    double at = x * LANCZOS_STEPS;
    int i = (int)at;
    double f = at - i;
    return lanczos_table[i] * (1.0 - f) + lanczos_table[i + 1] * f;
}

/// Weights are fixed point with this many fraction bits: a byte times the sum of the
/// positive weights still fits an int32 (Pillow's choice too).
#define WEIGHT_BITS 22

/// For each output sample: the first input sample it reads and `taps` normalised weights.
typedef struct {
    int *start;
    int32_t *weights;   // out_size rows of `taps`
    int taps;           // never more than the input's size
} coefficients;

static int make_coefficients(int in_size, int out_size, coefficients *k) {
    pthread_once(&lanczos_once, fill_lanczos_table);
    double scale = (double)in_size / out_size;
    double filter_scale = scale > 1.0 ? scale : 1.0;
    double support = 3.0 * filter_scale;
    int taps = (int)ceil(support) * 2 + 1;
    k->taps = taps < in_size ? taps : in_size;
    k->start = malloc(sizeof(int) * out_size);
    k->weights = calloc((size_t)out_size * k->taps, sizeof(int32_t));
    double *w = malloc(sizeof(double) * (size_t)taps);
    if (!k->start || !k->weights || !w) { free(k->start); free(k->weights); free(w); return -1; }
    for (int i = 0; i < out_size; i++) {
        double centre = (i + 0.5) * scale;
        int first = (int)floor(centre - support + 0.5);
        int last = (int)floor(centre + support + 0.5);   // exclusive
        if (first < 0) first = 0;
        if (last > in_size) last = in_size;
        if (last - first > k->taps) last = first + k->taps;
        double total = 0;
        for (int j = first; j < last; j++) {
            w[j - first] = lanczos3((j + 0.5 - centre) / filter_scale);
            total += w[j - first];
        }
        // Keep every window inside the image: start it earlier when it would run off the end
        // (the taps it gains carry no weight).
        int start = first + k->taps > in_size ? in_size - k->taps : first;
        int32_t *fixed = k->weights + (size_t)i * k->taps;
        for (int j = first; j < last; j++)
            fixed[j - start] = (int32_t)lround((total != 0 ? w[j - first] / total : 0) * (1 << WEIGHT_BITS));
        k->start[i] = start;
    }
    free(w);
    return 0;
}

static void free_coefficients(coefficients *k) {
    free(k->start);
    free(k->weights);
}

static inline uint8_t clamp_fixed(int32_t v) {
    v = (v + (1 << (WEIGHT_BITS - 1))) >> WEIGHT_BITS;
    return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
}


/// One horizontal pass: every row of `in` to `width` samples.
SIMD_CLONES static void horizontal(const thumb_image *in, const coefficients *k, uint8_t *out, int width) {
    int ch = in->channels, taps = k->taps;
    for (int y = 0; y < in->height; y++) {
        const uint8_t *row = in->pixels + (size_t)y * in->width * ch;
        uint8_t *dst = out + (size_t)y * width * ch;
        for (int x = 0; x < width; x++) {
            const uint8_t *p = row + (size_t)k->start[x] * ch;
            const int32_t *w = k->weights + (size_t)x * taps;
            int32_t s0 = 0, s1 = 0, s2 = 0;
            switch (ch) {
            case 1:
                for (int t = 0; t < taps; t++) s0 += w[t] * p[t];
                dst[x] = clamp_fixed(s0);
                break;
            case 3:
                // Four bytes a tap (the fourth is the next pixel's, weighted into a lane that
                // is dropped), except where that would read past the image's last byte.
                if (y + 1 < in->height || k->start[x] + taps < in->width) {
                    i32x4 acc = {0, 0, 0, 0};
                    for (int t = 0; t < taps; t++, p += 3) acc += widen4(p) * w[t];
                    dst[x * 3] = clamp_fixed(acc[0]); dst[x * 3 + 1] = clamp_fixed(acc[1]); dst[x * 3 + 2] = clamp_fixed(acc[2]);
                    break;
                }
                for (int t = 0; t < taps; t++, p += 3) { s0 += w[t] * p[0]; s1 += w[t] * p[1]; s2 += w[t] * p[2]; }
                dst[x * 3] = clamp_fixed(s0); dst[x * 3 + 1] = clamp_fixed(s1); dst[x * 3 + 2] = clamp_fixed(s2);
                break;
            default: {
                i32x4 acc = {0, 0, 0, 0};
                for (int t = 0; t < taps; t++, p += 4) acc += widen4(p) * w[t];
                dst[x * 4] = clamp_fixed(acc[0]); dst[x * 4 + 1] = clamp_fixed(acc[1]);
                dst[x * 4 + 2] = clamp_fixed(acc[2]); dst[x * 4 + 3] = clamp_fixed(acc[3]);
                break;
            }
            }
        }
    }
}

/// One vertical pass: `height` rows from the rows of `in` (contiguous samples, vectorisable).
SIMD_CLONES static int vertical(const uint8_t *in, int stride, const coefficients *k, uint8_t *out, int height) {
    int32_t *acc = malloc(sizeof(int32_t) * (size_t)stride);
    if (!acc) return -1;
    for (int y = 0; y < height; y++) {
        for (int i = 0; i < stride; i++) acc[i] = 1 << (WEIGHT_BITS - 1);
        const int32_t *w = k->weights + (size_t)y * k->taps;
        for (int t = 0; t < k->taps; t++) {
            int32_t weight = w[t];
            if (weight == 0) continue;
            const uint8_t *src = in + (size_t)(k->start[y] + t) * stride;
            for (int i = 0; i < stride; i++) acc[i] += weight * src[i];
        }
        uint8_t *dst = out + (size_t)y * stride;
        for (int i = 0; i < stride; i++) {
            int32_t v = acc[i] >> WEIGHT_BITS;
            dst[i] = v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
        }
    }
    free(acc);
    return 0;
}

static void premultiply(thumb_image *image) {
    size_t n = (size_t)image->width * image->height;
    for (size_t i = 0; i < n; i++) {
        uint8_t *p = image->pixels + i * 4;
        uint32_t a = p[3];
        for (int c = 0; c < 3; c++) p[c] = (uint8_t)((p[c] * a + 127) / 255);
    }
}

static void unpremultiply(thumb_image *image) {
    size_t n = (size_t)image->width * image->height;
    for (size_t i = 0; i < n; i++) {
        uint8_t *p = image->pixels + i * 4;
        uint32_t a = p[3];
        for (int c = 0; c < 3; c++) {
            uint32_t v = a ? (p[c] * 255u + a / 2) / a : 0;
            p[c] = v > 255 ? 255 : (uint8_t)v;
        }
    }
}

/// Separable Lanczos-3 in fixed point through bytes, as Pillow does, but vertical first: that
/// pass reads whole rows (the compiler vectorises it), and it leaves the scalar horizontal
/// pass only the output's rows. RGBA is filtered premultiplied.
static int lanczos_resize(const thumb_image *in, int width, int height, thumb_image *out) {
    int ch = in->channels;
    coefficients kx = {0}, ky = {0};
    thumb_image premultiplied = {0};
    const thumb_image *source = in;
    int result = -1;
    uint8_t *mid = NULL;
    if (ch == 4) {
        if (allocate(&premultiplied, in->width, in->height, 4)) return -1;
        memcpy(premultiplied.pixels, in->pixels, (size_t)in->width * in->height * 4);
        premultiply(&premultiplied);
        source = &premultiplied;
    }
    if (make_coefficients(in->width, width, &kx) || make_coefficients(in->height, height, &ky)) goto done;
    mid = malloc((size_t)in->width * height * ch);
    if (!mid || allocate(out, width, height, ch)) goto done;
    if (vertical(source->pixels, in->width * ch, &ky, mid, height)) { thumb_image_free(out); goto done; }
    thumb_image rows = {mid, in->width, height, ch};
    horizontal(&rows, &kx, out->pixels, width);
    if (ch == 4) unpremultiply(out);
    result = 0;
done:
    free(mid);
    thumb_image_free(&premultiplied);
    free_coefficients(&kx);
    free_coefficients(&ky);
    return result;
}

int thumb_resize(const thumb_image *in, int width, int height, thumb_image *out) {
    if (in->width == width && in->height == height) {
        if (allocate(out, width, height, in->channels)) return -1;
        memcpy(out->pixels, in->pixels, (size_t)width * height * in->channels);
        return 0;
    }
    // Box-reduce while the image is more than twice the size needed (Pillow's reducing gap),
    // so Lanczos only ever reads a window of a few pixels.
    int bx = in->width / (width * 2), by = in->height / (height * 2);
    if (bx < 1) bx = 1;
    if (by < 1) by = 1;
    if (bx == 1 && by == 1) return lanczos_resize(in, width, height, out);
    thumb_image reduced = {0};
    if (box_reduce(in, bx, by, &reduced)) return -1;
    int result = lanczos_resize(&reduced, width, height, out);
    thumb_image_free(&reduced);
    return result;
}
