// What the format paths of CThumbs share: an 8-bit interleaved pixel buffer, resampling,
// orientation and result helpers.
#pragma once
#include "skein_thumbs.h"
#include <stdarg.h>

typedef struct {
    uint8_t *pixels;     // rows of width * channels bytes, no padding; malloc'd
    int width, height;
    int channels;        // 1 gray, 3 RGB, 4 RGBA (alpha not premultiplied)
} thumb_image;

void thumb_image_free(thumb_image *image);

/// Resizes `in` to exactly width x height: a box reduction by a whole factor first when the
/// image is more than twice as big as needed, then a Lanczos-3 filter (what Pillow's
/// `thumbnail` and libvips' `thumbnail` do). RGBA is filtered premultiplied.
/// Returns 0, or -1 when memory runs out.
int thumb_resize(const thumb_image *in, int width, int height, thumb_image *out);

/// The Orientation tag (0x0112) of IFD0 in an Exif TIFF structure of `length` bytes; 1 when
/// there is none or it can't be read.
int thumb_exif_orientation(const uint8_t *tiff, size_t length);

/// Turns `in` (a thumbnail, so small) by the EXIF orientation 1...8 into `out`.
int thumb_orient(const thumb_image *in, int orientation, thumb_image *out);

/// Encodes `image` (gray or RGB) as a JPEG into `result` (data, length, width, height).
skein_thumb_status thumb_encode_jpeg(const thumb_image *image, int quality, skein_thumb_result *result);

/// Sets the result's message (printf style) and returns `status`.
skein_thumb_status thumb_fail(skein_thumb_result *result, skein_thumb_status status,
                              const char *format, ...) __attribute__((format(printf, 3, 4)));
/// Checks width x height against the request's pixel limit.
skein_thumb_status thumb_check_pixels(const skein_thumb_request *request, int width, int height,
                                      skein_thumb_result *result);
