// What every format path shares: fitting into the box, failures with a one-line message,
// the pixel limit.
#include "internal.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void skein_thumb_fit(int width, int height, int box_width, int box_height,
                     int *out_width, int *out_height) {
    if (width <= box_width && height <= box_height) {
        *out_width = width;
        *out_height = height;
        return;
    }
    double scale = fmin((double)box_width / width, (double)box_height / height);
    int w = (int)lround(width * scale), h = (int)lround(height * scale);
    if ((double)box_width / width <= (double)box_height / height) w = box_width; else h = box_height;
    *out_width = w < 1 ? 1 : (w > box_width ? box_width : w);
    *out_height = h < 1 ? 1 : (h > box_height ? box_height : h);
}

skein_thumb_status thumb_fail(skein_thumb_result *result, skein_thumb_status status,
                              const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(result->message, sizeof(result->message), format, args);
    va_end(args);
    // One line, always.
    for (char *c = result->message; *c; c++) if (*c == '\n' || *c == '\r') *c = ' ';
    return status;
}

skein_thumb_status thumb_check_pixels(const skein_thumb_request *request, int width, int height,
                                      skein_thumb_result *result) {
    result->source_width = width;
    result->source_height = height;
    if (width <= 0 || height <= 0)
        return thumb_fail(result, SKEIN_THUMB_CORRUPT, "the header gives a size of %dx%d", width, height);
    if ((int64_t)width * height > request->max_pixels)
        return thumb_fail(result, SKEIN_THUMB_TOO_MANY_PIXELS, "%dx%d", width, height);
    // Whole-image buffers past 2^28 pixels are libvips' business (it streams); this keeps
    // every index computed here (width x 4 channels included) inside an int, whatever
    // --max-pixels allows.
    if ((int64_t)width * height > ((int64_t)1 << 28))
        return thumb_fail(result, SKEIN_THUMB_UNSUPPORTED, "%dx%d is too big to hold whole", width, height);
    return SKEIN_THUMB_OK;
}

void skein_thumb_free(void *data) { free(data); }
