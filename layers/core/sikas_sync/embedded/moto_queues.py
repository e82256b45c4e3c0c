"""moto's SQS, made to find a message by its receipt handle without walking the queue.

A 200,000-row upload queues 200,000 push messages at once. moto looks a receipt handle up by
walking every queued message and listing each one's handles (DeleteMessage twice, then it rebuilds
the queue; ChangeMessageVisibility once), and ReceiveMessage lists every visible message before it
takes the first ten: with the push queue that full, deleting what one delivery handled cost more than
the delivery, and the local stack delivered a few records a second. Here every receipt handle moto
hands out is remembered with its message, and ReceiveMessage walks the queue only as far as it
takes messages. What moto answers is unchanged (tests/integration/embedded/test_moto_queues.py).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import Any

import moto.sqs.models as moto_sqs
from moto.sqs.exceptions import InvalidAttributeName

_moto_mark_received = moto_sqs.Message.mark_received
_moto_delete_message = moto_sqs.Queue.delete_message
_moto_change_visibility = moto_sqs.SQSBackend.change_message_visibility
_moto_messages: property = moto_sqs.Queue.__dict__["messages"]
_moto_get_queue_attributes = moto_sqs.SQSBackend.get_queue_attributes

# Every receipt handle moto gave out, to its message: handles are unique, and a message that leaves
# every queue leaves this map with it.
_BY_HANDLE: weakref.WeakValueDictionary[str, Any] = weakref.WeakValueDictionary()


def _mark_received(self: Any, *args: Any, **kwargs: Any) -> None:
    _moto_mark_received(self, *args, **kwargs)
    _BY_HANDLE[self.receipt_handle] = self


def _queued(queue: Any, handle: str) -> tuple[int, Any] | None:
    """Where the message that had this handle sits in this queue, if it is there."""
    message = _BY_HANDLE.get(handle)
    if message is None:
        return None
    for at, queued in enumerate(queue._messages):  # received messages sit near the front
        if queued is message:
            return at, message
    return None


def _delete_message(self: Any, receipt_handle: str) -> None:
    found = None if receipt_handle in self.deleted_messages else _queued(self, receipt_handle)
    if found is None:  # already deleted, or a handle moto should refuse: moto's own answer
        _moto_delete_message(self, receipt_handle)
        return
    at, message = found
    self.pending_messages.discard(message)
    self.deleted_messages.update(message.all_receipt_handles)
    del self._messages[at]


def _change_message_visibility(
    self: Any, queue_name: str, receipt_handle: str, visibility_timeout: int
) -> None:
    queue = self.get_queue(queue_name)
    found = _queued(queue, receipt_handle)
    if found is None:
        _moto_change_visibility(self, queue_name, receipt_handle, visibility_timeout)
        return
    # moto's own code for the message it finds first (a handle belongs to one message), put first.
    at = found[0]
    queue._messages.insert(0, queue._messages.pop(at))
    try:
        _moto_change_visibility(self, queue_name, receipt_handle, visibility_timeout)
    finally:
        queue._messages.insert(at, queue._messages.pop(0))


class VisibleMessages:
    """A queue's visible messages, as moto's `Queue.messages` lists them, but walked lazily: a
    ReceiveMessage of ten stops after ten instead of listing every queued message first."""

    def __init__(self, queue: Any) -> None:
        self._queue = queue

    def __iter__(self) -> Iterator[Any]:
        # A copy of the list: an SQS long poll walks it outside the emulator's lock.
        return (m for m in list(self._queue._messages) if m.visible and not m.delayed)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        return any(True for _ in self)


def _messages(self: Any) -> VisibleMessages:
    return VisibleMessages(self)


def _retained(self: Any, queue_name: str, message: Any) -> bool:
    # moto reads the queue's every attribute (counting every queued message three times) for each
    # message it hands out, to learn the retention period.
    retention_s = int(self.get_queue(queue_name).message_retention_period)
    return bool(retention_s + message.sent_timestamp / 1000 > moto_sqs.unix_time())  # type: ignore[attr-defined]


def _get_queue_attributes(self: Any, queue_name: str, attribute_names: list[str]) -> dict[str, Any]:
    if not attribute_names or "All" in attribute_names:
        return dict(_moto_get_queue_attributes(self, queue_name, attribute_names))
    queue = self.get_queue(queue_name)
    valid = ["All", *queue.BASE_ATTRIBUTES, *queue.FIFO_ATTRIBUTES, *queue.KMS_ATTRIBUTES]
    invalid = next((name for name in attribute_names if name not in valid), None)
    if invalid is not None:
        raise InvalidAttributeName(invalid)
    # moto builds every attribute three times for each one asked; once is enough.
    current = queue.attributes
    return {name: current[name] for name in attribute_names if current.get(name) is not None}


def install() -> None:
    """Patch moto's SQS, once per process; the emulator does it when imported."""
    if moto_sqs.Message.mark_received is _mark_received:
        return
    if not isinstance(_moto_messages, property):
        raise RuntimeError("moto's Queue.messages is no longer a property: review moto_queues.py")
    moto_sqs.Message.mark_received = _mark_received  # type: ignore[method-assign]
    moto_sqs.Queue.delete_message = _delete_message  # type: ignore[method-assign]
    moto_sqs.SQSBackend.change_message_visibility = _change_message_visibility  # type: ignore[method-assign]
    moto_sqs.Queue.messages = property(_messages)  # type: ignore[assignment, method-assign]
    moto_sqs.SQSBackend.is_message_valid_based_on_retention_period = _retained  # type: ignore[method-assign]
    moto_sqs.SQSBackend.get_queue_attributes = _get_queue_attributes  # type: ignore[method-assign]
