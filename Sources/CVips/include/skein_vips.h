// Fixed-argument wrappers over libvips' variadic C API, so Swift can call them.
// Every function returns 0 on success and -1 on failure; on failure the caller fetches the
// message with skein_vips_error_copy() (and frees it with skein_vips_free()).
#pragma once
#include <stddef.h>
#include <stdint.h>

typedef struct _VipsImage VipsImage;

/// Loads libvips (dlopen, on first use of any function here); 0 when it is there.
int skein_vips_load(void);

/// Starts libvips once per process. `allow_untrusted` = 0 blocks every loader except JPEG,
/// PNG and GIF (and libvips' own "untrusted" set), which is what hostile input needs.
int skein_vips_init(const char *argv0, int allow_untrusted);
void skein_vips_set_concurrency(int threads);
void skein_vips_set_cache_max(int operations);
const char *skein_vips_version(void);

/// The message of the last failures on any thread, then clears it. Free with skein_vips_free.
char *skein_vips_error_copy(void);
void skein_vips_free(void *pointer);
void skein_vips_unref(VipsImage *image);

/// Reads only the header of an image file: size, frame count, whether it embeds an ICC
/// profile (`has_profile` 1, or 2 when that profile is broken), and the loader libvips chose.
int skein_vips_probe(const char *path, int *width, int *height, int *pages, int *has_profile,
                     char *loader, size_t loader_capacity);

/// Fits the image at `path` into width x height, keeping its aspect ratio, never enlarging
/// (`no_enlarge`), with shrink-on-load; saves it to memory in the format of `save_suffix`
/// (for example ".jpg[Q=85,strip]"). Fails on truncated or corrupt input. `to_srgb` (for a
/// file with an embedded ICC profile: Display P3 from a phone, Adobe RGB, a CMYK press
/// profile) converts through that profile to sRGB, since the thumbnail is saved without one.
int skein_vips_thumbnail(const char *path, int width, int height, int no_enlarge, int to_srgb,
                         const char *save_suffix, void **buffer, size_t *length,
                         int *out_width, int *out_height);

/// Decodes the image at `path` (first frame, EXIF orientation applied) to 8-bit samples,
/// `bands` interleaved channels. Free `pixels` with skein_vips_free.
int skein_vips_pixels(const char *path, uint8_t **pixels, int *width, int *height, int *bands);

// Building blocks for the generated gallery corpus.
int skein_vips_from_memory(const uint8_t *pixels, int width, int height, int bands,
                           VipsImage **out);
int skein_vips_resize_to(VipsImage *in, int width, int height, VipsImage **out);
int skein_vips_gaussnoise(int width, int height, double mean, double sigma, int seed,
                          int bands, VipsImage **out);
/// Gaussian grain (mean 0) of the given size, from a repeated 256x256 tile.
int skein_vips_grain(int width, int height, double sigma, int seed, VipsImage **out);
/// out = a * wa + b * wb (as float)
int skein_vips_mix(VipsImage *a, double wa, VipsImage *b, double wb, VipsImage **out);
int skein_vips_to_uchar(VipsImage *in, int materialise, VipsImage **out);
int skein_vips_crop(VipsImage *in, int left, int top, int width, int height, VipsImage **out);
/// Stacks `count` frames of the same size into one animated image (page-height set).
int skein_vips_animation(VipsImage **frames, int count, int delay_ms, VipsImage **out);
/// Converts to the named ICC profile ("cmyk", "srgb", "p3" are built in); for test images.
int skein_vips_icc_transform(VipsImage *in, const char *profile, VipsImage **out);
int skein_vips_save_buffer(VipsImage *in, const char *suffix, void **buffer, size_t *length);
int skein_vips_width(VipsImage *in);
int skein_vips_height(VipsImage *in);
