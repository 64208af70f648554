// Direct thumbnail paths for the three formats Skein handles, without libvips:
// JPEG with TurboJPEG (DCT-scaled decode), PNG over libdeflate, GIF with giflib; Lanczos-3
// resampling and EXIF orientation of our own. Each call is independent and thread-safe.
//
// Every entry point answers with a status. SKEIN_THUMB_UNSUPPORTED means "valid as far as we
// looked, but this path doesn't handle it" (CMYK JPEG, an embedded ICC profile, ...): the
// caller falls back to libvips. On any other failure `message` says why in one line.
#pragma once
#include <stddef.h>
#include <stdint.h>

typedef enum {
    SKEIN_THUMB_OK = 0,
    SKEIN_THUMB_UNSUPPORTED = 1,
    SKEIN_THUMB_CORRUPT = 2,
    SKEIN_THUMB_TOO_MANY_PIXELS = 3,
    SKEIN_THUMB_NO_MEMORY = 4,
    SKEIN_THUMB_NO_DECODER = 5,
} skein_thumb_status;

typedef struct {
    int box_width, box_height;   // the box the thumbnail fits in (aspect kept, never enlarged)
    int64_t max_pixels;          // sources with more pixels (one frame) are refused undecoded
    int jpeg_quality;            // 1...100
} skein_thumb_request;

typedef struct {
    uint8_t *data;               // the encoded thumbnail; free with skein_thumb_free
    size_t length;
    int width, height;           // of the thumbnail
    int source_width, source_height;
    char message[200];           // why, when the status isn't OK; with OK, a note on a benign
                                 // oddity decoded through (empty when there was none)
} skein_thumb_result;

skein_thumb_status skein_thumb_jpeg(const uint8_t *bytes, size_t length,
                                    const skein_thumb_request *request, skein_thumb_result *result);
skein_thumb_status skein_thumb_png(const uint8_t *bytes, size_t length,
                                   const skein_thumb_request *request, skein_thumb_result *result);
skein_thumb_status skein_thumb_gif(const uint8_t *bytes, size_t length,
                                   const skein_thumb_request *request, skein_thumb_result *result);
/// The first frame of a video file (MP4…), as a JPEG thumbnail, through FFmpeg's libavformat,
/// libavcodec and libswscale, loaded with dlopen on first use. When they can't be loaded the
/// status is SKEIN_THUMB_NO_DECODER and `message` says which library is missing.
skein_thumb_status skein_thumb_video(const char *path, const skein_thumb_request *request, skein_thumb_result *result);
void skein_thumb_free(void *data);

/// The size `width` x `height` takes when fitted into the box, aspect kept, never enlarged.
void skein_thumb_fit(int width, int height, int box_width, int box_height,
                     int *out_width, int *out_height);
/// The EXIF orientation (1...8) a JPEG declares, 1 when none or unreadable.
int skein_thumb_jpeg_orientation(const uint8_t *bytes, size_t length);
