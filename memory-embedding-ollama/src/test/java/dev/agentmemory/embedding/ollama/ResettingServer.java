package dev.agentmemory.embedding.ollama;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw socket on 127.0.0.1 that accepts each connection, reads the start of the request and
 * resets the connection (SO_LINGER 0) without a byte of response.
 */
final class ResettingServer implements AutoCloseable {

    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    ResettingServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::run, "resetting-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void run() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                connections.incrementAndGet();
                InputStream in = s.getInputStream();
                in.read(new byte[1024]);
                s.setSoLinger(true, 0);
                s.close();
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                // one bad connection: keep accepting
            }
        }
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
