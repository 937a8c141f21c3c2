package dev.herald.demo.login;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** The signed-in user's name for the header of every page ({@code signedInAs}, null when signed out). */
@ControllerAdvice
class SignedInUser {

    @ModelAttribute("signedInAs")
    String signedInAs(HttpServletRequest request) {
        HttpSession session = request.getSession(false); // no session is created just to render a page
        return session != null && session.getAttribute(LoginController.USER) instanceof String user ? user : null;
    }
}
