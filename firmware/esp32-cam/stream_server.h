// Port 81 /stream, byte-compatible with the stock CameraWebServer. Runs in
// its own task on a raw socket so that, while one viewer is streaming, a
// second one gets an immediate 503 instead of hanging in esp_http_server's
// single worker. The board cannot encode and send two streams anyway.
#pragma once

bool stream_server_begin();
