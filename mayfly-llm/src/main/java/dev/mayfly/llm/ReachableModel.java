package dev.mayfly.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;

/**
 * The model client, saying what went wrong when the server cannot be reached: the address tried,
 * the network's own words, and what to check, instead of a bare {@code java.net.ConnectException}
 * three wrappers deep.
 */
final class ReachableModel implements ChatModel {

    private final ChatModel model;
    private final String address;
    private final String addressSetting;

    /**
     * @param address the URL the client calls
     * @param addressSetting where that URL came from, for the user to check
     */
    ReachableModel(ChatModel model, String address, String addressSetting) {
        this.model = model;
        this.address = address;
        this.addressSetting = addressSetting;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        try {
            return model.chat(request);
        } catch (RuntimeException e) {
            Throwable network = networkCause(e);
            if (network == null) {
                throw e;
            }
            throw new IllegalStateException("cannot reach the model server at " + address + " ("
                    + network.getClass().getSimpleName() + (network.getMessage() == null ? "" : ": " + network.getMessage())
                    + "): check that it is running and that " + addressSetting + " is its address", e);
        }
    }

    private static Throwable networkCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof NoRouteToHostException || cause instanceof HttpConnectTimeoutException
                    || cause instanceof HttpTimeoutException) {
                return cause;
            }
        }
        return null;
    }
}
