import CRabbitMQ
