#pragma once
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "esp_system.h"

typedef void* httpd_handle_t;
typedef enum { HTTP_GET = 1, HTTP_POST = 3 } httpd_method_t;
typedef struct httpd_req {
  httpd_handle_t handle;
  int method;
  const char uri[513];
} httpd_req_t;
typedef struct httpd_uri {
  const char* uri;
  httpd_method_t method;
  esp_err_t (*handler)(httpd_req_t* r);
  void* user_ctx;
} httpd_uri_t;
typedef struct httpd_config {
  unsigned task_priority;
  size_t stack_size;
  uint16_t server_port;
  uint16_t ctrl_port;
  uint16_t max_open_sockets;
  uint16_t max_uri_handlers;
  bool lru_purge_enable;
} httpd_config_t;
#define HTTPD_DEFAULT_CONFIG() {5, 4096, 80, 32768, 7, 8, false}

esp_err_t httpd_start(httpd_handle_t* handle, const httpd_config_t* config);
esp_err_t httpd_register_uri_handler(httpd_handle_t handle, const httpd_uri_t* uri_handler);
esp_err_t httpd_resp_set_type(httpd_req_t* r, const char* type);
esp_err_t httpd_resp_set_hdr(httpd_req_t* r, const char* field, const char* value);
esp_err_t httpd_resp_send(httpd_req_t* r, const char* buf, ssize_t buf_len);
esp_err_t httpd_resp_send_chunk(httpd_req_t* r, const char* buf, ssize_t buf_len);
esp_err_t httpd_resp_send_500(httpd_req_t* r);
