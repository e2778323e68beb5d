/** A chat room handler, written against the SDK's API only: it runs on any transport. */
module com.example.chat {
    requires ws.protocol;

    exports com.example.chat;
}
