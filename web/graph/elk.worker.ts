// ELK's own worker script: loading it in a dedicated worker makes it answer elk-api's layout
// messages (it installs self.onmessage), so layout never runs on the page's main thread.
import "elkjs/lib/elk-worker.min.js";
