#include "skein_vips.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <dlfcn.h>
#include <vips/vips.h>
#include <vips/vector.h>

/* libvips is loaded with dlopen on first use, not linked: it pulls in some 500 shared
 * libraries, which cost every `skein` process about 17 MB of resident memory and tens of
 * milliseconds at start, although only corpus generation and the thumbnails the direct path
 * hands over need it. Each function is called through a pointer of its own declared type. */
#define SKEIN_VIPS_SYMBOLS(X) \
    X(g_free) \
    X(g_object_unref) \
    X(vips_add) \
    X(vips_arrayjoin) \
    X(vips_autorot) \
    X(vips_bandjoin) \
    X(vips_block_untrusted_set) \
    X(vips_cache_set_max) \
    X(vips_cache_set_max_files) \
    X(vips_cache_set_max_mem) \
    X(vips_cast) \
    X(vips_concurrency_set) \
    X(vips_copy) \
    X(vips_crop) \
    X(vips_error_buffer_copy) \
    X(vips_error_clear) \
    X(vips_foreign_find_load) \
    X(vips_gaussnoise) \
    X(vips_gravity) \
    X(vips_image_copy_memory) \
    X(vips_image_get_bands) \
    X(vips_image_get_height) \
    X(vips_image_get_n_pages) \
    X(vips_image_get_width) \
    X(vips_image_new_from_file) \
    X(vips_image_new_from_memory_copy) \
    X(vips_image_set_array_int) \
    X(vips_image_set_int) \
    X(vips_image_write_to_buffer) \
    X(vips_image_write_to_memory) \
    X(vips_linear1) \
    X(vips_operation_block_set) \
    X(vips_replicate) \
    X(vips_resize) \
    X(vips_thumbnail) \
    X(vips_vector_set_enabled) \
    X(vips_version_string) \
    X(vips_image_get_typeof) \
    X(vips_image_get_blob) \
    X(vips_icc_transform) \
    X(vips_init)

#define DECLARE_POINTER(name) static __typeof__(name) *p_##name;
SKEIN_VIPS_SYMBOLS(DECLARE_POINTER)
#define V(name) p_##name

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded = 0;
static char load_error[300];

static void load_libvips(void) {
    void *library = dlopen("libvips.so.42", RTLD_NOW | RTLD_GLOBAL);
    if (!library) library = dlopen("libvips.so", RTLD_NOW | RTLD_GLOBAL);
    if (!library) {
        snprintf(load_error, sizeof(load_error), "cannot load libvips (apt-get install libvips42): %s", dlerror());
        return;
    }
#define RESOLVE(name) \
    if (!(p_##name = (__typeof__(name) *)dlsym(library, #name))) { \
        snprintf(load_error, sizeof(load_error), "libvips lacks %s", #name); \
        return; \
    }
    SKEIN_VIPS_SYMBOLS(RESOLVE)
    loaded = 1;
}

/// 0 once libvips is loaded, -1 (and load_error set) when it can't be.
static int load(void) {
    pthread_once(&load_once, load_libvips);
    return loaded ? 0 : -1;
}

int skein_vips_load(void) { return load(); }

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static int init_result = 1; /* 1: not yet */

int skein_vips_init(const char *argv0, int allow_untrusted) {
    if (load()) return -1;
    pthread_mutex_lock(&init_lock);
    /* libvips' warnings go to stderr through GLib ("VIPS-WARNING **: corrupt profile"),
     * between Skein's own lines: off, as VIPS_WARNING asks of vips_init. What they would say
     * that matters (a broken profile) Skein finds itself and reports as a note. */
    if (init_result == 1) {
        setenv("VIPS_WARNING", "0", 0);
        init_result = V(vips_init)(argv0) ? -1 : 0;
    }
    int result = init_result;
    pthread_mutex_unlock(&init_lock);
    if (result != 0) return -1;
    /* No ORC run-time code generation: a `skein run` crashed once inside liborc on a worker
     * thread (libvips and sharp have a history of such crashes under concurrency), and Skein
     * prefers a slower thumbnail to a dead process. */
    V(vips_vector_set_enabled)(FALSE);
    if (!allow_untrusted) {
        V(vips_block_untrusted_set)(TRUE);
        // Hostile input: only the three formats Skein handles may be decoded at all.
        V(vips_operation_block_set)("VipsForeignLoad", TRUE);
        V(vips_operation_block_set)("VipsForeignLoadJpeg", FALSE);
        V(vips_operation_block_set)("VipsForeignLoadPng", FALSE);
        V(vips_operation_block_set)("VipsForeignLoadNsgif", FALSE);
    }
    return 0;
}

void skein_vips_set_concurrency(int threads) { if (load() == 0) V(vips_concurrency_set)(threads); }
void skein_vips_set_cache_max(int operations) {
    if (load()) return;
    V(vips_cache_set_max)(operations);
    if (operations == 0) {
        V(vips_cache_set_max_mem)(0);
        V(vips_cache_set_max_files)(0);
    }
}
const char *skein_vips_version(void) { return load() ? "unavailable" : V(vips_version_string)(); }

// Without libvips, the error is why it couldn't be loaded (malloc'd; g_free is free).
char *skein_vips_error_copy(void) { return load() ? strdup(load_error) : V(vips_error_buffer_copy)(); }
void skein_vips_free(void *pointer) { if (loaded) V(g_free)(pointer); else free(pointer); }
void skein_vips_unref(VipsImage *image) { if (image && loaded) V(g_object_unref)(image); }

int skein_vips_probe(const char *path, int *width, int *height, int *pages, int *has_profile,
                     char *loader, size_t loader_capacity) {
    if (load()) return -1;
    V(vips_error_clear)();
    const char *name = V(vips_foreign_find_load)(path);
    if (!name) return -1;
    VipsImage *image = V(vips_image_new_from_file)(path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!image) return -1;
    *width = V(vips_image_get_width)(image);
    *height = V(vips_image_get_height)(image);
    *pages = V(vips_image_get_n_pages)(image);
    *has_profile = 0;
    if (V(vips_image_get_typeof)(image, VIPS_META_ICC_NAME) != 0) {
        /* 2 when the profile can't be one: shorter than its 128-byte header, without the
         * "acsp" signature, or declaring more bytes than it holds (a profile cut short). */
        const void *data = NULL;
        size_t size = 0;
        *has_profile = 2;
        if (V(vips_image_get_blob)(image, VIPS_META_ICC_NAME, &data, &size) == 0 && data && size >= 128) {
            const unsigned char *p = data;
            size_t declared = ((size_t)p[0] << 24) | ((size_t)p[1] << 16) | ((size_t)p[2] << 8) | p[3];
            if (memcmp(p + 36, "acsp", 4) == 0 && declared >= 128 && declared <= size) *has_profile = 1;
        }
    }
    if (loader && loader_capacity > 0) {
        strncpy(loader, name, loader_capacity - 1);
        loader[loader_capacity - 1] = '\0';
    }
    V(g_object_unref)(image);
    return 0;
}

/* libimagequant (GIF saving) parallelises with OpenMP. Skein already runs one image per
 * worker thread, so OpenMP's extra threads only fight ours for the cores: limit this thread's
 * parallel regions to one thread. OpenMP settings are per thread, hence on every call. Looked
 * up at run time: libgomp comes in with libvips' dependencies, not as ours. */
static void (*omp_set_threads)(int) = NULL;
static pthread_once_t omp_once = PTHREAD_ONCE_INIT;
static void find_omp(void) { omp_set_threads = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads"); }
static void single_threaded_openmp(void) {
    pthread_once(&omp_once, find_omp);
    if (omp_set_threads) omp_set_threads(1);
}

int skein_vips_thumbnail(const char *path, int width, int height, int no_enlarge, int to_srgb,
                         const char *save_suffix, void **buffer, size_t *length,
                         int *out_width, int *out_height) {
    if (load()) return -1;
    single_threaded_openmp();
    /* libvips' error buffer is one for the process and only a failure's copy empties it: the
     * warnings of files decoded through would otherwise end up in the next failure's message. */
    V(vips_error_clear)();
    VipsImage *thumb = NULL;
    int failed = to_srgb
        ? V(vips_thumbnail)(path, &thumb, width, "height", height,
                            "size", no_enlarge ? VIPS_SIZE_DOWN : VIPS_SIZE_BOTH,
                            "fail_on", VIPS_FAIL_ON_TRUNCATED, "export_profile", "srgb", NULL)
        : V(vips_thumbnail)(path, &thumb, width, "height", height,
                            "size", no_enlarge ? VIPS_SIZE_DOWN : VIPS_SIZE_BOTH,
                            "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
    if (failed) return -1;
    *out_width = V(vips_image_get_width)(thumb);
    *out_height = V(vips_image_get_height)(thumb);
    int result = V(vips_image_write_to_buffer)(thumb, save_suffix, buffer, length, NULL);
    V(g_object_unref)(thumb);
    return result;
}

int skein_vips_pixels(const char *path, uint8_t **pixels, int *width, int *height, int *bands) {
    if (load()) return -1;
    VipsImage *image = V(vips_image_new_from_file)(path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!image) return -1;
    VipsImage *rotated = NULL, *cast = NULL;
    int result = -1;
    if (V(vips_autorot)(image, &rotated, NULL) == 0 && V(vips_cast)(rotated, &cast, VIPS_FORMAT_UCHAR, NULL) == 0) {
        size_t size = 0;
        *pixels = V(vips_image_write_to_memory)(cast, &size);
        if (*pixels) {
            *width = V(vips_image_get_width)(cast);
            *height = V(vips_image_get_height)(cast);
            *bands = V(vips_image_get_bands)(cast);
            result = 0;
        }
    }
    if (cast) V(g_object_unref)(cast);
    if (rotated) V(g_object_unref)(rotated);
    V(g_object_unref)(image);
    return result;
}

int skein_vips_from_memory(const uint8_t *pixels, int width, int height, int bands,
                           VipsImage **out) {
    if (load()) return -1;
    VipsImage *raw = V(vips_image_new_from_memory_copy)(pixels, (size_t)width * height * bands,
                                                     width, height, bands, VIPS_FORMAT_UCHAR);
    if (!raw) return -1;
    // A new image with the interpretation set, rather than writing the field of one that an
    // operation may share (ThreadSanitizer caught that).
    int result = V(vips_copy)(raw, out, "interpretation", bands >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W, NULL);
    V(g_object_unref)(raw);
    return result;
}

int skein_vips_resize_to(VipsImage *in, int width, int height, VipsImage **out) {
    if (load()) return -1;
    double hscale = (double)width / V(vips_image_get_width)(in);
    double vscale = (double)height / V(vips_image_get_height)(in);
    VipsImage *scaled = NULL;
    if (V(vips_resize)(in, &scaled, hscale, "vscale", vscale, "kernel", VIPS_KERNEL_LINEAR, NULL))
        return -1;
    // Rounding can leave a pixel more or less: crop or embed to the exact size.
    int result = V(vips_gravity)(scaled, out, VIPS_COMPASS_DIRECTION_CENTRE, width, height,
                              "extend", VIPS_EXTEND_COPY, NULL);
    V(g_object_unref)(scaled);
    return result;
}

int skein_vips_gaussnoise(int width, int height, double mean, double sigma, int seed,
                          int bands, VipsImage **out) {
    if (load()) return -1;
    if (bands <= 1)
        return V(vips_gaussnoise)(out, width, height, "mean", mean, "sigma", sigma, "seed", seed, NULL);
    VipsImage *channels[4] = {NULL, NULL, NULL, NULL};
    int result = 0;
    for (int b = 0; b < bands && b < 4; b++) {
        if (V(vips_gaussnoise)(&channels[b], width, height, "mean", mean, "sigma", sigma,
                            "seed", seed * 7 + b, NULL)) { result = -1; break; }
    }
    if (result == 0) result = V(vips_bandjoin)(channels, out, bands, NULL);
    for (int b = 0; b < 4; b++) if (channels[b]) V(g_object_unref)(channels[b]);
    return result;
}

int skein_vips_grain(int width, int height, double sigma, int seed, VipsImage **out) {
    if (load()) return -1;
    // A 256x256 tile of noise repeated: film grain at a fraction of the cost of noise for
    // every pixel (vips' gaussnoise sums twelve random numbers a sample).
    int tile = 256;
    VipsImage *generated = NULL, *noise = NULL, *tiled = NULL;
    if (skein_vips_gaussnoise(tile, tile, 0.0, sigma, seed, 3, &generated)) return -1;
    // Render the tile once: replicate would otherwise make the noise again for every copy.
    noise = V(vips_image_copy_memory)(generated);
    V(g_object_unref)(generated);
    if (!noise) return -1;
    int result = V(vips_replicate)(noise, &tiled, (width + tile - 1) / tile, (height + tile - 1) / tile, NULL);
    V(g_object_unref)(noise);
    if (result) return -1;
    result = V(vips_crop)(tiled, out, 0, 0, width, height, NULL);
    V(g_object_unref)(tiled);
    return result;
}

int skein_vips_mix(VipsImage *a, double wa, VipsImage *b, double wb, VipsImage **out) {
    if (load()) return -1;
    VipsImage *sa = NULL, *sb = NULL;
    int result = -1;
    if (V(vips_linear1)(a, &sa, wa, 0.0, NULL) == 0 && V(vips_linear1)(b, &sb, wb, 0.0, NULL) == 0)
        result = V(vips_add)(sa, sb, out, NULL);
    if (sa) V(g_object_unref)(sa);
    if (sb) V(g_object_unref)(sb);
    return result;
}

int skein_vips_to_uchar(VipsImage *in, int materialise, VipsImage **out) {
    if (load()) return -1;
    VipsImage *converted = NULL, *cast = NULL;
    if (V(vips_cast)(in, &converted, VIPS_FORMAT_UCHAR, NULL)) return -1;
    int copied = V(vips_copy)(converted, &cast, "interpretation", VIPS_INTERPRETATION_sRGB, NULL);
    V(g_object_unref)(converted);
    if (copied) return -1;
    if (!materialise) { *out = cast; return 0; }
    // Materialise so several crops (animation frames) don't recompute the whole pipeline.
    *out = V(vips_image_copy_memory)(cast);
    V(g_object_unref)(cast);
    return *out ? 0 : -1;
}

int skein_vips_crop(VipsImage *in, int left, int top, int width, int height, VipsImage **out) {
    if (load()) return -1;
    return V(vips_crop)(in, out, left, top, width, height, NULL);
}

int skein_vips_animation(VipsImage **frames, int count, int delay_ms, VipsImage **out) {
    if (load()) return -1;
    VipsImage *joined = NULL;
    if (V(vips_arrayjoin)(frames, &joined, count, "across", 1, NULL)) return -1;
    if (V(vips_copy)(joined, out, NULL)) { V(g_object_unref)(joined); return -1; }
    V(g_object_unref)(joined);
    int page_height = V(vips_image_get_height)(frames[0]);
    V(vips_image_set_int)(*out, "page-height", page_height);
    int *delays = malloc(sizeof(int) * (size_t)count);
    if (!delays) return -1;
    for (int i = 0; i < count; i++) delays[i] = delay_ms;
    V(vips_image_set_array_int)(*out, "delay", delays, count);
    free(delays);
    V(vips_image_set_int)(*out, "loop", 0);
    return 0;
}

int skein_vips_icc_transform(VipsImage *in, const char *profile, VipsImage **out) {
    if (load()) return -1;
    return V(vips_icc_transform)(in, out, profile, NULL);
}

int skein_vips_save_buffer(VipsImage *in, const char *suffix, void **buffer, size_t *length) {
    if (load()) return -1;
    return V(vips_image_write_to_buffer)(in, suffix, buffer, length, NULL);
}

int skein_vips_width(VipsImage *in) { return loaded ? V(vips_image_get_width)(in) : 0; }
int skein_vips_height(VipsImage *in) { return loaded ? V(vips_image_get_height)(in) : 0; }
