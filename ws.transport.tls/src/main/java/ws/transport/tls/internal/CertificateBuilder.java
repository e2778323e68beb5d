package ws.transport.tls.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Predicate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds one X.509 v3 certificate with BouncyCastle: the only class of this module that touches
 * BouncyCastle (an optional dependency), so it is loaded only when a development certificate is
 * asked for, after {@link Bc#require} has checked that BouncyCastle is there.
 */
public final class CertificateBuilder {
    private final String commonName;
    private final String organization;
    private final PublicKey subjectKey;
    private Instant from;
    private Instant to;
    private boolean authority;
    private boolean keyEncipherment;
    private List<String> names = List.of();
    private Predicate<String> isIpAddress = name -> false;

    /** A certificate for {@code subjectKey}, subject {@code CN=commonName, O=organization}. */
    public CertificateBuilder(String commonName, String organization, PublicKey subjectKey) {
        this.commonName = commonName;
        this.organization = organization;
        this.subjectKey = subjectKey;
    }

    /** Valid from {@code notBefore} to {@code notAfter}. */
    public CertificateBuilder validity(Instant notBefore, Instant notAfter) {
        from = notBefore;
        to = notAfter;
        return this;
    }

    /** A certificate authority (may sign certificates), else a server and client certificate. */
    public CertificateBuilder authority(boolean value) {
        authority = value;
        return this;
    }

    /** Key usage keyEncipherment too (RSA keys). */
    public CertificateBuilder keyEncipherment(boolean value) {
        keyEncipherment = value;
        return this;
    }

    /** Subject alternative names in order: IP addresses where {@code isIp} says so, else DNS names. */
    public CertificateBuilder names(List<String> values, Predicate<String> isIp) {
        names = values;
        isIpAddress = isIp;
        return this;
    }

    /**
     * Signs the certificate: with {@code signingKey} as {@code issuer}'s, or self-signed when
     * {@code issuer} is {@code null} ({@code signingKey} then belongs to the subject key).
     */
    public X509Certificate sign(X509Certificate issuer, PrivateKey signingKey) throws GeneralSecurityException {
        try {
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.CN, commonName)
                    .addRDN(BCStyle.O, organization)
                    .build();
            X500Name issuerName = issuer == null ? subject
                    : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
            BigInteger serial = new BigInteger(159, new SecureRandom()).setBit(0);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, serial, Date.from(from),
                    Date.from(to), subject, subjectKey);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            if (issuer != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
            }
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (authority) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign
                        | KeyUsage.digitalSignature));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                        | (keyEncipherment ? KeyUsage.keyEncipherment : 0)));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            }
            if (!names.isEmpty()) {
                List<GeneralName> alternatives = new ArrayList<>();
                for (String name : names) {
                    alternatives.add(new GeneralName(isIpAddress.test(name) ? GeneralName.iPAddress : GeneralName.dNSName, name));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(alternatives.toArray(new GeneralName[0])));
            }
            String algorithm = signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
        } catch (OperatorCreationException | CertIOException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }
}
