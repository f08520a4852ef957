//! A minimal blocking client for OpenAI-compatible chat endpoints.
//!
//! One call sends one user message with temperature 0 to `POST {url}/v1/chat/completions`
//! and returns the assistant's text. It speaks plain `http://`, which is what local
//! servers (llama.cpp, vLLM, Ollama, LM Studio) listen on; `https://` needs this crate's
//! `https` feature, which adds rustls.

use std::time::Duration;

use serde::Deserialize;

/// How long [`ChatClient::new`] waits for a whole exchange before giving up.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The most characters of an error body kept in [`LlmError::Status`].
const BODY_EXCERPT: usize = 300;

/// Why a chat call gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("{url}: no answer within {timeout:?}; is the model loaded? raise the timeout")]
    Timeout { url: String, timeout: Duration },
    #[error("{url}: cannot connect ({message}); is the server running at that address?")]
    Connect { url: String, message: String },
    #[error("{url}: https needs ipw-examples' `https` feature (cargo --features https)")]
    HttpsDisabled { url: String },
    #[error("{url}: the server answered HTTP {status}: {body}")]
    Status {
        url: String,
        status: u16,
        body: String,
    },
    #[error("{url}: the reply is not an OpenAI chat completion: {reason}")]
    BadResponse { url: String, reason: String },
}

fn agent(timeout: Duration) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        // A 4xx/5xx body often says what is wrong (an unknown model): keep it.
        .http_status_as_error(false)
        .build();
    ureq::Agent::new_with_config(config)
}

#[derive(Deserialize)]
struct Completion {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: Message,
}

#[derive(Deserialize)]
struct Message {
    content: Option<String>,
}

/// A chat endpoint and the model to ask.
///
/// ```no_run
/// use ipw_examples::llm_client::ChatClient;
///
/// let client = ChatClient::new("http://127.0.0.1:8080", "qwen2.5-0.5b-instruct");
/// let reply = client.complete("What is 7 * 8? Answer with the number only.")?;
/// println!("{reply}");
/// # Ok::<(), ipw_examples::llm_client::LlmError>(())
/// ```
#[derive(Debug)]
pub struct ChatClient {
    endpoint: String,
    model: String,
    api_key: Option<String>,
    timeout: Duration,
    agent: ureq::Agent,
}

impl ChatClient {
    /// A client for the server at `base_url` (`http://host:port`; a trailing `/v1` is
    /// accepted, as OpenAI SDKs write base URLs that way) with [`DEFAULT_TIMEOUT`].
    pub fn new(base_url: &str, model: &str) -> ChatClient {
        let base = base_url.trim_end_matches('/');
        let base = base.strip_suffix("/v1").unwrap_or(base);
        ChatClient {
            endpoint: format!("{base}/v1/chat/completions"),
            model: model.to_owned(),
            api_key: None,
            timeout: DEFAULT_TIMEOUT,
            agent: agent(DEFAULT_TIMEOUT),
        }
    }

    /// The same client with a limit on each whole exchange (connect, send, receive).
    pub fn with_timeout(mut self, timeout: Duration) -> ChatClient {
        self.agent = agent(timeout);
        self.timeout = timeout;
        self
    }

    /// The same client sending `Authorization: Bearer {key}`.
    pub fn with_api_key(mut self, key: &str) -> ChatClient {
        self.api_key = Some(key.to_owned());
        self
    }

    /// The full URL requests go to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Sends `prompt` as the only user message, at temperature 0, and returns the first
    /// choice's text.
    pub fn complete(&self, prompt: &str) -> Result<String, LlmError> {
        // Without TLS, ureq would first connect and only then refuse; refusing here
        // gives the same answer whether or not the server is up.
        let https = self
            .endpoint
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"));
        if https && !cfg!(feature = "https") {
            return Err(LlmError::HttpsDisabled {
                url: self.endpoint.clone(),
            });
        }
        let body = serde_json::json!({
            "model": self.model,
            "messages": [{"role": "user", "content": prompt}],
            "temperature": 0,
        });
        let mut request = self
            .agent
            .post(&self.endpoint)
            .header("Content-Type", "application/json");
        if let Some(key) = &self.api_key {
            request = request.header("Authorization", format!("Bearer {key}"));
        }
        let mut response = request
            .send(body.to_string())
            .map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| self.transport_error(e))?;
        if !(200..300).contains(&status) {
            return Err(LlmError::Status {
                url: self.endpoint.clone(),
                status,
                body: text.chars().take(BODY_EXCERPT).collect(),
            });
        }
        let bad = |reason: String| LlmError::BadResponse {
            url: self.endpoint.clone(),
            reason,
        };
        let completion: Completion = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        let choice = completion
            .choices
            .into_iter()
            .next()
            .ok_or_else(|| bad("`choices` is empty".to_owned()))?;
        choice
            .message
            .content
            .ok_or_else(|| bad("the first choice has no `message.content`".to_owned()))
    }

    fn transport_error(&self, error: ureq::Error) -> LlmError {
        let url = self.endpoint.clone();
        match error {
            ureq::Error::Timeout(_) => LlmError::Timeout {
                url,
                timeout: self.timeout,
            },
            ureq::Error::TlsRequired => LlmError::HttpsDisabled { url },
            other => LlmError::Connect {
                url,
                message: other.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::mpsc;
    use std::thread;

    /// Serves one request on loopback with `status` and `body`; the handle yields the
    /// request as received (head and body).
    fn serve_once(status: &str, body: &str) -> (String, thread::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let response = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let handle = thread::spawn(move || {
            let (stream, _) = listener.accept().expect("accept");
            let mut reader = BufReader::new(stream);
            let mut head = String::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).expect("read header");
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().expect("numeric length");
                    }
                }
                head.push_str(&line);
                if line == "\r\n" || line.is_empty() {
                    break;
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).expect("read body");
            reader
                .get_mut()
                .write_all(response.as_bytes())
                .expect("reply");
            head + &String::from_utf8(body).expect("utf-8 body")
        });
        (url, handle)
    }

    const REPLY: &str = r#"{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"56"},"finish_reason":"stop"}]}"#;

    #[test]
    fn sends_an_openai_request_and_returns_the_text() {
        let (url, server) = serve_once("200 OK", REPLY);
        let client = ChatClient::new(&format!("{url}/v1/"), "tiny").with_api_key("k");
        let answer = client.complete("What is 7 * 8?").expect("an answer");
        assert_eq!(answer, "56");
        let request = server.join().expect("server thread");
        assert!(
            request.starts_with("POST /v1/chat/completions HTTP/1.1\r\n"),
            "{request}"
        );
        assert!(request.contains("Bearer k"), "{request}");
        let body = &request[request.find("\r\n\r\n").expect("head ends") + 4..];
        let json: serde_json::Value = serde_json::from_str(body).expect("json body");
        assert_eq!(json["model"], "tiny");
        assert_eq!(json["temperature"], 0);
        assert_eq!(json["messages"][0]["role"], "user");
        assert_eq!(json["messages"][0]["content"], "What is 7 * 8?");
    }

    #[test]
    fn http_errors_keep_the_status_and_body() {
        let (url, server) = serve_once("404 Not Found", r#"{"error":"model 'x' not found"}"#);
        let err = ChatClient::new(&url, "x").complete("hi").expect_err("404");
        server.join().expect("server thread");
        match err {
            LlmError::Status { status, body, .. } => {
                assert_eq!(status, 404);
                assert!(body.contains("not found"));
            }
            other => panic!("expected a status error, got {other}"),
        }
    }

    #[test]
    fn malformed_replies_are_bad_responses() {
        for body in [
            "not json",
            r#"{"choices":[]}"#,
            r#"{"choices":[{"message":{"content":null}}]}"#,
        ] {
            let (url, server) = serve_once("200 OK", body);
            let err = ChatClient::new(&url, "m").complete("hi").expect_err(body);
            server.join().expect("server thread");
            assert!(matches!(err, LlmError::BadResponse { .. }), "{body}: {err}");
        }
    }

    #[test]
    fn a_silent_server_times_out() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let (done, wait) = mpsc::channel::<()>();
        let server = thread::spawn(move || {
            let (_stream, _) = listener.accept().expect("accept");
            // Hold the connection open without answering until the client has given up.
            let _ = wait.recv_timeout(Duration::from_secs(10));
        });
        let client = ChatClient::new(&url, "m").with_timeout(Duration::from_millis(300));
        let err = client.complete("hi").expect_err("no reply");
        done.send(()).expect("server waiting");
        server.join().expect("server thread");
        assert!(matches!(err, LlmError::Timeout { .. }), "{err}");
    }

    #[test]
    fn a_closed_port_is_a_connect_error() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        drop(listener);
        let err = ChatClient::new(&url, "m")
            .complete("hi")
            .expect_err("refused");
        assert!(matches!(err, LlmError::Connect { .. }), "{err}");
        assert!(err.to_string().contains("is the server running"));
    }

    #[cfg(not(feature = "https"))]
    #[test]
    fn https_without_the_feature_says_how_to_enable_it() {
        let err = ChatClient::new("https://127.0.0.1:1", "m")
            .complete("hi")
            .expect_err("no tls");
        assert!(matches!(err, LlmError::HttpsDisabled { .. }), "{err}");
    }
}
