// Port 80: GET /capture (one JPEG), GET /status (JSON), GET / (links).
// esp_http_server, like the stock CameraWebServer; served in both modes.
#pragma once

bool control_server_begin();
