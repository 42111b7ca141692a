//! A connection that fails once it has stalled: when neither a read nor a write made progress
//! for a while, the next read or write that would wait fails with `TimedOut`, and the server
//! closes the connection. A client that stops reading a large page (its socket buffer full)
//! then holds its descriptor and the page's memory for that long at most.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// `S`, failing its reads and writes once no progress was made for `timeout`.
pub(super) struct StallGuard<S> {
    inner: S,
    timeout: Duration,
    /// When a read or write last moved bytes (or the connection began).
    progress: Instant,
    timer: Pin<Box<Sleep>>,
}

impl<S> StallGuard<S> {
    /// Wraps `inner`; the clock starts now.
    pub(super) fn new(inner: S, timeout: Duration) -> StallGuard<S> {
        let progress = Instant::now();
        StallGuard {
            inner,
            timeout,
            progress,
            timer: Box::pin(tokio::time::sleep_until(progress + timeout)),
        }
    }

    /// Passes on what a read or write of the inner stream returned, noting progress when
    /// `moved` says bytes moved, and waiting no later than the stall deadline when it would
    /// wait.
    fn after<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<io::Result<T>>,
        moved: impl FnOnce(&T) -> bool,
    ) -> Poll<io::Result<T>> {
        match poll {
            Poll::Ready(result) => {
                if matches!(&result, Ok(value) if moved(value)) {
                    self.progress = Instant::now();
                }
                Poll::Ready(result)
            }
            Poll::Pending => self.wait(cx),
        }
    }

    /// For a read or write that would wait: waits no later than the stall deadline, then
    /// fails.
    fn wait<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let deadline = self.progress + self.timeout;
        if self.timer.deadline() != deadline {
            self.timer.as_mut().reset(deadline);
        }
        match self.timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "the connection made no progress for {}s",
                    self.timeout.as_secs()
                ),
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for StallGuard<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let poll = Pin::new(&mut this.inner).poll_read(cx, buf);
        let grew = buf.filled().len() > before;
        this.after(cx, poll, |()| grew)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for StallGuard<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.after(cx, poll, |written| *written > 0)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.after(cx, poll, |written| *written > 0)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_flush(cx);
        this.after(cx, poll, |()| false)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_shutdown(cx);
        this.after(cx, poll, |()| false)
    }
}
