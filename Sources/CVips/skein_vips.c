#include "skein_vips.h"
#include <string.h>
#include <pthread.h>
#include <dlfcn.h>
#include <vips/vips.h>
#include <vips/vector.h>

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static int init_result = 1; /* 1: not yet */

int skein_vips_init(const char *argv0, int allow_untrusted) {
    pthread_mutex_lock(&init_lock);
    if (init_result == 1) init_result = VIPS_INIT(argv0) ? -1 : 0;
    int result = init_result;
    pthread_mutex_unlock(&init_lock);
    if (result != 0) return -1;
    /* No ORC run-time code generation: a `skein run` crashed once inside liborc on a worker
     * thread (libvips and sharp have a history of such crashes under concurrency), and Skein
     * prefers a slower thumbnail to a dead process. */
    vips_vector_set_enabled(FALSE);
    if (!allow_untrusted) {
        vips_block_untrusted_set(TRUE);
        // Hostile input: only the three formats Skein handles may be decoded at all.
        vips_operation_block_set("VipsForeignLoad", TRUE);
        vips_operation_block_set("VipsForeignLoadJpeg", FALSE);
        vips_operation_block_set("VipsForeignLoadPng", FALSE);
        vips_operation_block_set("VipsForeignLoadNsgif", FALSE);
    }
    return 0;
}

void skein_vips_set_concurrency(int threads) { vips_concurrency_set(threads); }
void skein_vips_set_cache_max(int operations) {
    vips_cache_set_max(operations);
    if (operations == 0) {
        vips_cache_set_max_mem(0);
        vips_cache_set_max_files(0);
    }
}
const char *skein_vips_version(void) { return vips_version_string(); }

char *skein_vips_error_copy(void) { return vips_error_buffer_copy(); }
void skein_vips_free(void *pointer) { g_free(pointer); }
void skein_vips_unref(VipsImage *image) { if (image) g_object_unref(image); }

int skein_vips_probe(const char *path, int *width, int *height, int *pages,
                     char *loader, size_t loader_capacity) {
    const char *name = vips_foreign_find_load(path);
    if (!name) return -1;
    VipsImage *image = vips_image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!image) return -1;
    *width = vips_image_get_width(image);
    *height = vips_image_get_height(image);
    *pages = vips_image_get_n_pages(image);
    if (loader && loader_capacity > 0) {
        strncpy(loader, name, loader_capacity - 1);
        loader[loader_capacity - 1] = '\0';
    }
    g_object_unref(image);
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

int skein_vips_thumbnail(const char *path, int width, int height, int no_enlarge,
                         const char *save_suffix, void **buffer, size_t *length,
                         int *out_width, int *out_height) {
    single_threaded_openmp();
    VipsImage *thumb = NULL;
    if (vips_thumbnail(path, &thumb, width,
                       "height", height,
                       "size", no_enlarge ? VIPS_SIZE_DOWN : VIPS_SIZE_BOTH,
                       "fail_on", VIPS_FAIL_ON_TRUNCATED,
                       NULL)) return -1;
    *out_width = vips_image_get_width(thumb);
    *out_height = vips_image_get_height(thumb);
    int result = vips_image_write_to_buffer(thumb, save_suffix, buffer, length, NULL);
    g_object_unref(thumb);
    return result;
}

int skein_vips_pixels(const char *path, uint8_t **pixels, int *width, int *height, int *bands) {
    VipsImage *image = vips_image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!image) return -1;
    VipsImage *rotated = NULL, *cast = NULL;
    int result = -1;
    if (vips_autorot(image, &rotated, NULL) == 0 && vips_cast(rotated, &cast, VIPS_FORMAT_UCHAR, NULL) == 0) {
        size_t size = 0;
        *pixels = vips_image_write_to_memory(cast, &size);
        if (*pixels) {
            *width = vips_image_get_width(cast);
            *height = vips_image_get_height(cast);
            *bands = vips_image_get_bands(cast);
            result = 0;
        }
    }
    if (cast) g_object_unref(cast);
    if (rotated) g_object_unref(rotated);
    g_object_unref(image);
    return result;
}

int skein_vips_from_memory(const uint8_t *pixels, int width, int height, int bands,
                           VipsImage **out) {
    VipsImage *raw = vips_image_new_from_memory_copy(pixels, (size_t)width * height * bands,
                                                     width, height, bands, VIPS_FORMAT_UCHAR);
    if (!raw) return -1;
    // A new image with the interpretation set, rather than writing the field of one that an
    // operation may share (ThreadSanitizer caught that).
    int result = vips_copy(raw, out, "interpretation", bands >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W, NULL);
    g_object_unref(raw);
    return result;
}

int skein_vips_resize_to(VipsImage *in, int width, int height, VipsImage **out) {
    double hscale = (double)width / vips_image_get_width(in);
    double vscale = (double)height / vips_image_get_height(in);
    VipsImage *scaled = NULL;
    if (vips_resize(in, &scaled, hscale, "vscale", vscale, "kernel", VIPS_KERNEL_LINEAR, NULL))
        return -1;
    // Rounding can leave a pixel more or less: crop or embed to the exact size.
    int result = vips_gravity(scaled, out, VIPS_COMPASS_DIRECTION_CENTRE, width, height,
                              "extend", VIPS_EXTEND_COPY, NULL);
    g_object_unref(scaled);
    return result;
}

int skein_vips_gaussnoise(int width, int height, double mean, double sigma, int seed,
                          int bands, VipsImage **out) {
    if (bands <= 1)
        return vips_gaussnoise(out, width, height, "mean", mean, "sigma", sigma, "seed", seed, NULL);
    VipsImage *channels[4] = {NULL, NULL, NULL, NULL};
    int result = 0;
    for (int b = 0; b < bands && b < 4; b++) {
        if (vips_gaussnoise(&channels[b], width, height, "mean", mean, "sigma", sigma,
                            "seed", seed * 7 + b, NULL)) { result = -1; break; }
    }
    if (result == 0) result = vips_bandjoin(channels, out, bands, NULL);
    for (int b = 0; b < 4; b++) if (channels[b]) g_object_unref(channels[b]);
    return result;
}

int skein_vips_grain(int width, int height, double sigma, int seed, VipsImage **out) {
    // A 256x256 tile of noise repeated: film grain at a fraction of the cost of noise for
    // every pixel (vips' gaussnoise sums twelve random numbers a sample).
    int tile = 256;
    VipsImage *generated = NULL, *noise = NULL, *tiled = NULL;
    if (skein_vips_gaussnoise(tile, tile, 0.0, sigma, seed, 3, &generated)) return -1;
    // Render the tile once: replicate would otherwise make the noise again for every copy.
    noise = vips_image_copy_memory(generated);
    g_object_unref(generated);
    if (!noise) return -1;
    int result = vips_replicate(noise, &tiled, (width + tile - 1) / tile, (height + tile - 1) / tile, NULL);
    g_object_unref(noise);
    if (result) return -1;
    result = vips_crop(tiled, out, 0, 0, width, height, NULL);
    g_object_unref(tiled);
    return result;
}

int skein_vips_mix(VipsImage *a, double wa, VipsImage *b, double wb, VipsImage **out) {
    VipsImage *sa = NULL, *sb = NULL;
    int result = -1;
    if (vips_linear1(a, &sa, wa, 0.0, NULL) == 0 && vips_linear1(b, &sb, wb, 0.0, NULL) == 0)
        result = vips_add(sa, sb, out, NULL);
    if (sa) g_object_unref(sa);
    if (sb) g_object_unref(sb);
    return result;
}

int skein_vips_to_uchar(VipsImage *in, int materialise, VipsImage **out) {
    VipsImage *converted = NULL, *cast = NULL;
    if (vips_cast(in, &converted, VIPS_FORMAT_UCHAR, NULL)) return -1;
    int copied = vips_copy(converted, &cast, "interpretation", VIPS_INTERPRETATION_sRGB, NULL);
    g_object_unref(converted);
    if (copied) return -1;
    if (!materialise) { *out = cast; return 0; }
    // Materialise so several crops (animation frames) don't recompute the whole pipeline.
    *out = vips_image_copy_memory(cast);
    g_object_unref(cast);
    return *out ? 0 : -1;
}

int skein_vips_crop(VipsImage *in, int left, int top, int width, int height, VipsImage **out) {
    return vips_crop(in, out, left, top, width, height, NULL);
}

int skein_vips_animation(VipsImage **frames, int count, int delay_ms, VipsImage **out) {
    VipsImage *joined = NULL;
    if (vips_arrayjoin(frames, &joined, count, "across", 1, NULL)) return -1;
    if (vips_copy(joined, out, NULL)) { g_object_unref(joined); return -1; }
    g_object_unref(joined);
    int page_height = vips_image_get_height(frames[0]);
    vips_image_set_int(*out, "page-height", page_height);
    int *delays = g_new(int, count);
    for (int i = 0; i < count; i++) delays[i] = delay_ms;
    vips_image_set_array_int(*out, "delay", delays, count);
    g_free(delays);
    vips_image_set_int(*out, "loop", 0);
    return 0;
}

int skein_vips_save_buffer(VipsImage *in, const char *suffix, void **buffer, size_t *length) {
    return vips_image_write_to_buffer(in, suffix, buffer, length, NULL);
}

int skein_vips_width(VipsImage *in) { return vips_image_get_width(in); }
int skein_vips_height(VipsImage *in) { return vips_image_get_height(in); }
