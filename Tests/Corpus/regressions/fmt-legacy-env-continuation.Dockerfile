FROM php:8
ENV PHPIZE_DEPS \
		autoconf \
		dpkg-dev \
		file
WORKDIR /srv/\
    app
ONBUILD ENV Q a \
    b
