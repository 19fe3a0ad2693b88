#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>
#include <amqp_framing.h>

// Swift cannot call C variadic functions, nor import the method-number macros
// (they are casts); these thin wrappers and constants expose them.

static inline amqp_rpc_reply_t crabbitmq_login_plain(amqp_connection_state_t state, const char *vhost,
                                                     int channel_max, int frame_max, int heartbeat,
                                                     const char *user, const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat, AMQP_SASL_METHOD_PLAIN, user,
                      password);
}

static const amqp_method_number_t crabbitmq_basic_deliver_method = AMQP_BASIC_DELIVER_METHOD;
static const amqp_method_number_t crabbitmq_basic_ack_method = AMQP_BASIC_ACK_METHOD;
static const amqp_method_number_t crabbitmq_basic_nack_method = AMQP_BASIC_NACK_METHOD;
static const amqp_method_number_t crabbitmq_basic_cancel_method = AMQP_BASIC_CANCEL_METHOD;
static const amqp_method_number_t crabbitmq_channel_close_method = AMQP_CHANNEL_CLOSE_METHOD;
static const amqp_method_number_t crabbitmq_connection_close_method = AMQP_CONNECTION_CLOSE_METHOD;
static const amqp_method_number_t crabbitmq_connection_close_ok_method = AMQP_CONNECTION_CLOSE_OK_METHOD;

static const amqp_flags_t crabbitmq_content_type_flag = AMQP_BASIC_CONTENT_TYPE_FLAG;
static const amqp_flags_t crabbitmq_delivery_mode_flag = AMQP_BASIC_DELIVERY_MODE_FLAG;
