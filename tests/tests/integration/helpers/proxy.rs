//! A TCP proxy between a test host and the local AWS endpoint, to take the endpoint
//! away: refusing connections (each is closed as it opens), or hanging (each is held
//! open and never answered). Switching away from forwarding cuts the connections the
//! SDK keeps alive, so its next call meets the outage.

use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// What the proxy does with a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// None: bytes flow both ways.
    Forward,
    /// Closed as soon as it opens.
    Refuse,
    /// Open, and never a byte back.
    Hang,
}

/// A proxy to one endpoint; dropped with the test's runtime.
pub struct Proxy {
    addr: SocketAddr,
    mode: watch::Sender<Outage>,
}

impl Proxy {
    /// A proxy forwarding to `target` (`http://host:port`).
    pub async fn to(target: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let target = target
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let (mode, watching) = watch::channel(Outage::Forward);
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                tokio::spawn(serve(inbound, target.clone(), watching.clone()));
            }
        });
        Proxy { addr, mode }
    }

    /// The endpoint to give the test host.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set(&self, outage: Outage) {
        self.mode.send_replace(outage);
    }
}

async fn serve(mut inbound: TcpStream, target: String, mut mode: watch::Receiver<Outage>) {
    let now = *mode.borrow_and_update();
    match now {
        Outage::Refuse => drop(inbound),
        Outage::Hang => {
            // Held until the outage ends, then closed.
            let _ = mode.changed().await;
        }
        Outage::Forward => {
            let Ok(mut outbound) = TcpStream::connect(&target).await else {
                return;
            };
            tokio::select! {
                _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                _ = mode.wait_for(|m| *m != Outage::Forward) => {}
            }
        }
    }
}
