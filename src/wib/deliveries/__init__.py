"""The outbox: messages to other systems (eBox, authorities' systems), delivered once, never lost.

Use `wib.deliveries.services.enqueue_delivery` inside your transaction.
"""
